using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace HybridAI.ServiceDefaults.Options;

/// <summary>
/// Validates an options object with its data annotations (walking nested objects and lists) and its own
/// cross-field rules, and reports every failure as <c>Section:Path:Key: message</c> in one result.
/// </summary>
public sealed class ServiceOptionsValidator<T> : IValidateOptions<T> where T : class, IServiceOptions
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        OptionsTreeValidator.Collect(options, T.SectionName, failures);
        if (options is ISelfValidatingOptions self)
        {
            failures.AddRange(self.Validate().Select(p => $"{T.SectionName}:{p.Key}: {p.Message}"));
        }

        return failures.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Invalid configuration ({failures.Count} problem{(failures.Count == 1 ? "" : "s")}): {string.Join("; ", failures)}");
    }
}

/// <summary>Data-annotation validation of an options object graph, naming each failure by its configuration path.</summary>
public static class OptionsTreeValidator
{
    /// <summary>Validates <paramref name="instance"/> and everything it holds; failures are <c>path:Key: message</c>.</summary>
    public static void Collect(object instance, string path, List<string> failures) =>
        Collect(instance, path, failures, new HashSet<object>(ReferenceEqualityComparer.Instance));

    /// <summary>Validates <paramref name="instance"/> and the objects it holds, prefixing each key with its path.</summary>
    private static void Collect(object instance, string path, List<string> failures, HashSet<object> seen)
    {
        if (!seen.Add(instance))
        {
            return;
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var members = result.MemberNames.Any() ? result.MemberNames : [""];
            failures.AddRange(members.Select(m => $"{Join(path, m)}: {result.ErrorMessage}"));
        }

        foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || IsLeaf(property.PropertyType))
            {
                continue;
            }

            var value = property.GetValue(instance);
            var childPath = Join(path, property.Name);
            switch (value)
            {
                case null:
                    break;
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        if (entry.Value is { } v && !IsLeaf(v.GetType()))
                        {
                            Collect(v, Join(childPath, entry.Key.ToString() ?? ""), failures, seen);
                        }
                    }

                    break;
                case IEnumerable sequence:
                    var index = 0;
                    foreach (var item in sequence)
                    {
                        if (item is not null && !IsLeaf(item.GetType()))
                        {
                            Collect(item, Join(childPath, index.ToString(System.Globalization.CultureInfo.InvariantCulture)), failures, seen);
                        }

                        index++;
                    }

                    break;
                default:
                    Collect(value, childPath, failures, seen);
                    break;
            }
        }
    }

    private static string Join(string path, string member) => string.IsNullOrEmpty(member) ? path : $"{path}:{member}";

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(Uri) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid)
        || (Nullable.GetUnderlyingType(type) is { } inner && IsLeaf(inner));
}
