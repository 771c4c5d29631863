#!/usr/bin/env python3
"""Regenerates the derived word lists in this folder from Debian packages (see README.md for sources and licences).

    apt-get install wamerican wbritish python3-fake-factory
    python3 services/Pii/Data/build-word-lists.py

Deterministic: the output depends only on the package versions named in README.md. It never reads any evaluation data.
"""
import importlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, "/usr/lib/python3/dist-packages")
import faker.providers.person as person  # noqa: E402  (Debian's python3-fake-factory)


def faker_names():
    first, last = set(), set()
    base = os.path.dirname(person.__file__)
    for locale in sorted(os.listdir(base)):
        if locale.startswith("_") or not os.path.isdir(os.path.join(base, locale)):
            continue
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in dir(provider):
            if attr.startswith("first_names") or attr.startswith("last_names"):
                values = getattr(provider, attr)
                target = first if attr.startswith("first") else last
                for name in (values.keys() if isinstance(values, dict) else values):
                    # Single words only (letters, inner hyphen or apostrophe), folded to lower case.
                    if isinstance(name, str) and " " not in name and len(name) >= 2 and name.replace("-", "").replace("'", "").isalpha():
                        target.add(name.lower())
    return first, last


def places():
    import faker.providers.address as address  # noqa: E402
    found = set()
    for locale in ("en", "en_US", "en_GB", "en_AU", "en_CA"):
        provider = importlib.import_module(f"{address.__name__}.{locale}").Provider
        for attr in ("countries", "states", "provinces"):
            for place in getattr(provider, attr, None) or []:
                if " " not in place and place.isalpha():
                    found.add(place.lower())
    return found


def main():
    words = [w.strip() for path in ("/usr/share/dict/american-english", "/usr/share/dict/british-english")
             for w in open(path, encoding="utf-8") if "'" not in w]
    lower = sorted({w for w in words if w[:1].islower()})
    first, last = faker_names()
    own = set()
    for line in open(os.path.join(HERE, "first-names.txt"), encoding="utf-8"):
        if not line.startswith("#"):
            own.update(line.split())
    given = first | own
    # wamerican's capitalised entries that are nobody's given name in these lists: places, peoples (surnames that are
    # also places, "Monroe", stay in), languages, brands, historical figures, which a capitalised-word rule must not take
    # for a private person on its own;
    # plus the calendar, which Faker lists as given names ("Sunday", "June").
    calendar = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
                "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
    # Countries, US states, Australian states and Canadian provinces (one-word names, from Faker's English address
    # providers) are places even where Faker also lists them as given names ("India", "Georgia").
    proper = sorted(calendar | places() | {w.lower() for w in words if w[:1].isupper() and not w.isupper() and w.lower() not in given and w.lower() not in lower})

    def write(name, header, items):
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
            f.write(header)
            for item in items:
                f.write(item + "\n")

    write("english-words.txt", "# Ordinary English words: wamerican and wbritish 2020.12.07 (SCOWL), lower-case entries, no possessives. See README.md.\n", lower)
    write("given-names.txt", "# Given names: python3-fake-factory 0.9.3 person providers (all locales), one word each, lower case. See README.md.\n", sorted(first))
    write("surnames.txt", "# Surnames: python3-fake-factory 0.9.3 person providers (all locales), one word each, lower case. See README.md.\n", sorted(last))
    write("proper-nouns.txt", "# Capitalised wamerican/wbritish entries that are no given name, countries, states, the calendar. See README.md.\n", proper)


if __name__ == "__main__":
    main()
