using System.Globalization;

namespace HybridAI.SlmInference.Core.Templates;

/// <summary>
/// Parses the Jinja subset chat templates use: text, <c>{{ }}</c>, <c>if/elif/else</c>, <c>for … in … [if …]</c> with
/// <c>else</c> and <c>loop.*</c>, <c>set</c> (names and namespace attributes), <c>break/continue</c>,
/// <c>generation</c> blocks, comments, and Python-like expressions with filters and tests. Anything else (macros,
/// includes, call blocks, unknown filters) fails here, at load, with its line.
/// </summary>
internal sealed class TemplateParser
{
    private readonly List<Token> _tokens;
    private int _position;

    private TemplateParser(List<Token> tokens) => _tokens = tokens;

    public static Node Parse(string source)
    {
        var parser = new TemplateParser(TemplateLexer.Tokenize(source));
        var body = parser.ParseBody(out var end);
        if (end is not null)
        {
            throw new TemplateException($"line {parser.Current.Line}: unexpected '{{% {end} %}}'");
        }

        return body;
    }

    private Token Current => _tokens[_position];

    private BlockNode ParseBody(out string? terminator, params string[] terminators)
    {
        var nodes = new List<Node>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.End:
                    terminator = null;
                    return terminators.Length == 0 ? new BlockNode(nodes)
                        : throw new TemplateException($"line {token.Line}: missing {{% {string.Join(" or ", terminators)} %}}");
                case TokenKind.Text:
                    _position++;
                    nodes.Add(new TextNode(token.Value));
                    break;
                case TokenKind.OutputStart:
                    _position++;
                    var expression = ParseExpression();
                    Expect(TokenKind.OutputEnd, "}}");
                    nodes.Add(new OutputNode(expression));
                    break;
                case TokenKind.BlockStart:
                    var keyword = _tokens[_position + 1];
                    if (keyword.Kind == TokenKind.Name && terminators.Contains(keyword.Value))
                    {
                        _position += 2;
                        terminator = keyword.Value;
                        return new BlockNode(nodes);
                    }

                    _position++;
                    nodes.Add(ParseStatement());
                    break;
                default:
                    throw new TemplateException($"line {token.Line}: unexpected '{token.Value}'");
            }
        }
    }

    private Node ParseStatement()
    {
        var keyword = Expect(TokenKind.Name, "a statement");
        switch (keyword.Value)
        {
            case "if":
                return ParseIf();
            case "for":
                return ParseFor();
            case "set":
                return ParseSet();
            case "break" or "continue":
                Expect(TokenKind.BlockEnd, "%}");
                return new LoopControlNode(keyword.Value == "break" ? LoopSignal.Break : LoopSignal.Continue);
            case "generation":
                Expect(TokenKind.BlockEnd, "%}");
                var body = ParseBody(out _, "endgeneration");
                Expect(TokenKind.BlockEnd, "%}");
                return body;
            default:
                throw new TemplateException($"line {keyword.Line}: '{{% {keyword.Value} %}}' is not supported by HybridAI's chat template engine");
        }
    }

    private IfNode ParseIf()
    {
        var branches = new List<(Expression, Node)>();
        Node? otherwise = null;
        var condition = ParseExpression();
        while (true)
        {
            Expect(TokenKind.BlockEnd, "%}");
            var body = ParseBody(out var end, "elif", "else", "endif");
            branches.Add((condition, body));
            if (end == "elif")
            {
                condition = ParseExpression();
                continue;
            }

            if (end == "else")
            {
                Expect(TokenKind.BlockEnd, "%}");
                otherwise = ParseBody(out _, "endif");
            }

            Expect(TokenKind.BlockEnd, "%}");
            return new IfNode(branches, otherwise);
        }
    }

    private ForNode ParseFor()
    {
        var targets = new List<string> { Expect(TokenKind.Name, "a loop variable").Value };
        while (Accept(","))
        {
            targets.Add(Expect(TokenKind.Name, "a loop variable").Value);
        }

        ExpectName("in");
        var source = ParseOr();
        Expression? filter = null;
        if (AcceptName("if"))
        {
            filter = ParseOr();
        }

        Expect(TokenKind.BlockEnd, "%}");
        var body = ParseBody(out var end, "else", "endfor");
        Node? otherwise = null;
        if (end == "else")
        {
            Expect(TokenKind.BlockEnd, "%}");
            otherwise = ParseBody(out _, "endfor");
        }

        Expect(TokenKind.BlockEnd, "%}");
        return new ForNode(targets, source, filter, body, otherwise);
    }

    private SetNode ParseSet()
    {
        var name = Expect(TokenKind.Name, "a variable").Value;
        string? attribute = null;
        if (Accept("."))
        {
            attribute = Expect(TokenKind.Name, "an attribute").Value;
        }

        if (!Accept("="))
        {
            throw new TemplateException($"line {Current.Line}: block '{{% set %}}…{{% endset %}}' is not supported; use '{{% set x = … %}}'");
        }

        var value = ParseExpression();
        Expect(TokenKind.BlockEnd, "%}");
        return new SetNode(name, attribute, value);
    }

    private Expression ParseExpression()
    {
        var expression = ParseOr();
        if (AcceptName("if"))
        {
            var condition = ParseOr();
            var otherwise = AcceptName("else") ? ParseExpression() : null;
            return new ConditionalExpression(condition, expression, otherwise);
        }

        return expression;
    }

    private Expression ParseOr()
    {
        var left = ParseAnd();
        while (AcceptName("or"))
        {
            left = new LogicalExpression("or", left, ParseAnd());
        }

        return left;
    }

    private Expression ParseAnd()
    {
        var left = ParseNot();
        while (AcceptName("and"))
        {
            left = new LogicalExpression("and", left, ParseNot());
        }

        return left;
    }

    private Expression ParseNot() => AcceptName("not") ? new NotExpression(ParseNot()) : ParseComparison();

    private Expression ParseComparison()
    {
        var left = ParseConcat();
        while (true)
        {
            if (Current.Kind == TokenKind.Operator && Current.Value is "==" or "!=" or "<" or "<=" or ">" or ">=")
            {
                var op = Current.Value;
                _position++;
                left = new BinaryExpression(op, left, ParseConcat());
            }
            else if (AcceptName("in"))
            {
                left = new BinaryExpression("in", left, ParseConcat());
            }
            else if (Current is { Kind: TokenKind.Name, Value: "not" } && _tokens[_position + 1] is { Kind: TokenKind.Name, Value: "in" })
            {
                _position += 2;
                left = new BinaryExpression("not in", left, ParseConcat());
            }
            else
            {
                return left;
            }
        }
    }

    private Expression ParseConcat()
    {
        var left = ParseAdditive();
        while (Accept("~"))
        {
            left = new BinaryExpression("~", left, ParseAdditive());
        }

        return left;
    }

    private Expression ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Current.Kind == TokenKind.Operator && Current.Value is "+" or "-")
        {
            var op = Current.Value;
            _position++;
            left = new BinaryExpression(op, left, ParseMultiplicative());
        }

        return left;
    }

    private Expression ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Current.Kind == TokenKind.Operator && Current.Value is "*" or "/" or "//" or "%")
        {
            var op = Current.Value;
            _position++;
            left = new BinaryExpression(op, left, ParseUnary());
        }

        return left;
    }

    private Expression ParseUnary() => Accept("-") ? new NegateExpression(ParseUnary()) : Accept("+") ? ParseUnary() : ParsePostfix(ParsePrimary());

    private Expression ParsePostfix(Expression expression)
    {
        while (true)
        {
            if (Accept("."))
            {
                expression = new AttributeExpression(expression, Expect(TokenKind.Name, "an attribute").Value);
            }
            else if (Accept("["))
            {
                expression = ParseSubscript(expression);
            }
            else if (Accept("("))
            {
                var (args, kwargs) = ParseArguments();
                expression = new CallExpression(expression, args, kwargs);
            }
            else if (Accept("|"))
            {
                var name = Expect(TokenKind.Name, "a filter");
                if (!Filters.Names.Contains(name.Value))
                {
                    throw new TemplateException($"line {name.Line}: filter '{name.Value}' is not supported by HybridAI's chat template engine");
                }

                var (args, kwargs) = Accept("(") ? ParseArguments() : ([], []);
                expression = new FilterExpression(expression, name.Value, args, kwargs);
            }
            else if (AcceptName("is"))
            {
                var negated = AcceptName("not");
                var test = Expect(TokenKind.Name, "a test");
                var args = new List<Expression>();
                if (Accept("("))
                {
                    args.AddRange(ParseArguments().Arguments);
                }
                else if (Current.Kind is TokenKind.String or TokenKind.Integer or TokenKind.Float)
                {
                    args.Add(ParsePrimary());
                }

                expression = new TestExpression(expression, test.Value, args, negated);
            }
            else
            {
                return expression;
            }
        }
    }

    private Expression ParseSubscript(Expression target)
    {
        Expression? start = null;
        if (!(Current.Kind == TokenKind.Operator && Current.Value == ":"))
        {
            start = ParseExpression();
            if (Accept("]"))
            {
                return new IndexExpression(target, start);
            }
        }

        Expect(TokenKind.Operator, ":");
        Expression? stop = null;
        Expression? step = null;
        if (!(Current.Kind == TokenKind.Operator && Current.Value is "]" or ":"))
        {
            stop = ParseExpression();
        }

        if (Accept(":") && !(Current.Kind == TokenKind.Operator && Current.Value == "]"))
        {
            step = ParseExpression();
        }

        Expect(TokenKind.Operator, "]");
        return new SliceExpression(target, start, stop, step);
    }

    private (List<Expression> Arguments, List<(string, Expression)> Keywords) ParseArguments()
    {
        var args = new List<Expression>();
        var kwargs = new List<(string, Expression)>();
        while (!Accept(")"))
        {
            if (Current.Kind == TokenKind.Name && _tokens[_position + 1] is { Kind: TokenKind.Operator, Value: "=" })
            {
                var name = Current.Value;
                _position += 2;
                kwargs.Add((name, ParseExpression()));
            }
            else
            {
                args.Add(ParseExpression());
            }

            if (!Accept(","))
            {
                Expect(TokenKind.Operator, ")");
                break;
            }
        }

        return (args, kwargs);
    }

    private Expression ParsePrimary()
    {
        var token = Current;
        _position++;
        switch (token.Kind)
        {
            case TokenKind.String:
                var text = token.Value;
                while (Current.Kind == TokenKind.String)
                {
                    // Adjacent literals concatenate, as in Python.
                    text += Current.Value;
                    _position++;
                }

                return new LiteralExpression(text);
            case TokenKind.Integer:
                return new LiteralExpression(long.Parse(token.Value, CultureInfo.InvariantCulture));
            case TokenKind.Float:
                return new LiteralExpression(double.Parse(token.Value, CultureInfo.InvariantCulture));
            case TokenKind.Name:
                return token.Value switch
                {
                    "true" or "True" => new LiteralExpression(true),
                    "false" or "False" => new LiteralExpression(false),
                    "none" or "None" => new LiteralExpression(null),
                    _ => new NameExpression(token.Value),
                };
            case TokenKind.Operator when token.Value == "(":
                var inner = ParseExpression();
                if (Accept(","))
                {
                    var items = new List<Expression> { inner };
                    while (!Accept(")"))
                    {
                        items.Add(ParseExpression());
                        if (!Accept(","))
                        {
                            Expect(TokenKind.Operator, ")");
                            break;
                        }
                    }

                    return new ListExpression(items);
                }

                Expect(TokenKind.Operator, ")");
                return inner;
            case TokenKind.Operator when token.Value == "[":
                var list = new List<Expression>();
                while (!Accept("]"))
                {
                    list.Add(ParseExpression());
                    if (!Accept(","))
                    {
                        Expect(TokenKind.Operator, "]");
                        break;
                    }
                }

                return new ListExpression(list);
            case TokenKind.Operator when token.Value == "{":
                var pairs = new List<(Expression, Expression)>();
                while (!Accept("}"))
                {
                    var key = ParseExpression();
                    Expect(TokenKind.Operator, ":");
                    pairs.Add((key, ParseExpression()));
                    if (!Accept(","))
                    {
                        Expect(TokenKind.Operator, "}");
                        break;
                    }
                }

                return new DictExpression(pairs);
            default:
                throw new TemplateException($"line {token.Line}: unexpected {(token.Value.Length > 0 ? $"'{token.Value}'" : token.Kind.ToString())} in an expression");
        }
    }

    private bool Accept(string op)
    {
        if (Current.Kind == TokenKind.Operator && Current.Value == op)
        {
            _position++;
            return true;
        }

        return false;
    }

    private bool AcceptName(string name)
    {
        if (Current.Kind == TokenKind.Name && Current.Value == name)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void ExpectName(string name)
    {
        if (!AcceptName(name))
        {
            throw new TemplateException($"line {Current.Line}: expected '{name}'");
        }
    }

    private Token Expect(TokenKind kind, string what)
    {
        var token = Current;
        if (token.Kind != kind || (kind == TokenKind.Operator && token.Value != what))
        {
            throw new TemplateException($"line {token.Line}: expected {what}, found {(token.Value.Length > 0 ? $"'{token.Value}'" : token.Kind.ToString())}");
        }

        _position++;
        return token;
    }
}
