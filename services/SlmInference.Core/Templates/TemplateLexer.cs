using System.Globalization;
using System.Text;

namespace HybridAI.SlmInference.Core.Templates;

internal enum TokenKind
{
    Text,
    OutputStart,
    OutputEnd,
    BlockStart,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}

internal readonly record struct Token(TokenKind Kind, string Value, int Line);

/// <summary>
/// Splits a Jinja template into text and tag tokens, applying whitespace control as Hugging Face configures Jinja for
/// chat templates: <c>trim_blocks</c> and <c>lstrip_blocks</c> on, plus <c>-</c> markers.
/// </summary>
internal static class TemplateLexer
{
    private static readonly string[] Operators = ["==", "!=", "<=", ">=", "//", "**", "+", "-", "*", "/", "%", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", "="];

    public static List<Token> Tokenize(string source)
    {
        var tokens = new List<Token>();
        var position = 0;
        var line = 1;
        var trimNextLeading = false;
        while (position < source.Length)
        {
            var open = FindTagStart(source, position);
            var text = source[position..(open < 0 ? source.Length : open)];
            if (trimNextLeading)
            {
                text = text.TrimStart();
                trimNextLeading = false;
            }

            if (open < 0)
            {
                AddText(tokens, text, line);
                break;
            }

            var kind = source[open + 1];
            var stripBefore = open + 2 < source.Length && source[open + 2] == '-';
            if (stripBefore)
            {
                text = text.TrimEnd();
            }
            else if (kind is '%' or '#')
            {
                text = LstripBlock(text);
            }

            AddText(tokens, text, line);
            line += Count(source, position, open);
            var inner = open + (stripBefore ? 3 : 2);
            if (kind == '#')
            {
                var close = source.IndexOf("#}", inner, StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new TemplateException($"line {line}: comment is not closed");
                }

                trimNextLeading = source[close - 1] == '-';
                line += Count(source, open, close + 2);
                position = TrimBlock(source, close + 2, trimNextLeading);
                continue;
            }

            tokens.Add(new Token(kind == '{' ? TokenKind.OutputStart : TokenKind.BlockStart, "", line));
            position = LexTag(source, inner, kind == '{' ? '}' : '%', tokens, ref line, out var stripAfter);
            tokens.Add(new Token(kind == '{' ? TokenKind.OutputEnd : TokenKind.BlockEnd, "", line));
            trimNextLeading = stripAfter;
            if (kind == '%')
            {
                position = TrimBlock(source, position, stripAfter);
            }
        }

        tokens.Add(new Token(TokenKind.End, "", line));
        return tokens;
    }

    private static int FindTagStart(string source, int from)
    {
        for (var i = source.IndexOf('{', from); i >= 0 && i < source.Length - 1; i = source.IndexOf('{', i + 1))
        {
            if (source[i + 1] is '{' or '%' or '#')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>trim_blocks: the first newline after a block tag is removed.</summary>
    private static int TrimBlock(string source, int position, bool alreadyStripped)
    {
        if (alreadyStripped)
        {
            return position;
        }

        if (position < source.Length && source[position] == '\n')
        {
            return position + 1;
        }

        return position < source.Length - 1 && source[position] == '\r' && source[position + 1] == '\n' ? position + 2 : position;
    }

    /// <summary>lstrip_blocks: spaces and tabs between a line's start and a block tag are removed.</summary>
    private static string LstripBlock(string text)
    {
        var i = text.Length;
        while (i > 0 && text[i - 1] is ' ' or '\t')
        {
            i--;
        }

        return i == 0 || text[i - 1] == '\n' ? text[..i] : text;
    }

    private static void AddText(List<Token> tokens, string text, int line)
    {
        if (text.Length > 0)
        {
            tokens.Add(new Token(TokenKind.Text, text, line));
        }
    }

    private static int Count(string source, int from, int to)
    {
        var lines = 0;
        for (var i = from; i < to && i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                lines++;
            }
        }

        return lines;
    }

    private static int LexTag(string source, int position, char closer, List<Token> tokens, ref int line, out bool stripAfter)
    {
        while (position < source.Length)
        {
            var c = source[position];
            if (c == '\n')
            {
                line++;
            }

            if (char.IsWhiteSpace(c))
            {
                position++;
                continue;
            }

            if (c == '-' && position + 2 < source.Length && source[position + 1] == closer && source[position + 2] == '}')
            {
                stripAfter = true;
                return position + 3;
            }

            if (c == closer && position + 1 < source.Length && source[position + 1] == '}')
            {
                stripAfter = false;
                return position + 2;
            }

            if (char.IsLetter(c) || c == '_')
            {
                var start = position;
                while (position < source.Length && (char.IsLetterOrDigit(source[position]) || source[position] == '_'))
                {
                    position++;
                }

                tokens.Add(new Token(TokenKind.Name, source[start..position], line));
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                var start = position;
                while (position < source.Length && char.IsAsciiDigit(source[position]))
                {
                    position++;
                }

                var isFloat = position + 1 < source.Length && source[position] == '.' && char.IsAsciiDigit(source[position + 1]);
                if (isFloat)
                {
                    position++;
                    while (position < source.Length && char.IsAsciiDigit(source[position]))
                    {
                        position++;
                    }
                }

                tokens.Add(new Token(isFloat ? TokenKind.Float : TokenKind.Integer, source[start..position], line));
                continue;
            }

            if (c is '\'' or '"')
            {
                position = LexString(source, position, tokens, line);
                continue;
            }

            var op = Operators.FirstOrDefault(o => string.CompareOrdinal(source, position, o, 0, o.Length) == 0)
                ?? throw new TemplateException($"line {line}: unexpected character '{c}'");
            tokens.Add(new Token(TokenKind.Operator, op, line));
            position += op.Length;
        }

        throw new TemplateException($"line {line}: tag is not closed");
    }

    private static int LexString(string source, int position, List<Token> tokens, int line)
    {
        var quote = source[position++];
        var value = new StringBuilder();
        while (position < source.Length && source[position] != quote)
        {
            var c = source[position++];
            if (c != '\\' || position >= source.Length)
            {
                value.Append(c);
                continue;
            }

            var escaped = source[position++];
            switch (escaped)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case 'u' when position + 4 <= source.Length:
                    value.Append((char)int.Parse(source.AsSpan(position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    position += 4;
                    break;
                default: value.Append(escaped); break;
            }
        }

        if (position >= source.Length)
        {
            throw new TemplateException($"line {line}: string is not closed");
        }

        tokens.Add(new Token(TokenKind.String, value.ToString(), line));
        return position + 1;
    }
}
