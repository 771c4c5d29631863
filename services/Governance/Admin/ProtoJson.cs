using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using HybridAI.Governance.Errors;

namespace HybridAI.Governance.Admin;

/// <summary>
/// The admin API's JSON is the proto3 JSON mapping of the gRPC messages with the proto field names (snake_case),
/// so HTTP and gRPC carry the same documents. 64-bit integers are written as strings (the mapping's rule) and
/// accepted as numbers or strings. Reading checks the whole document against the message first, so a malformed
/// request is refused with every problem named rather than the first one the parser meets.
/// </summary>
public static class ProtoJson
{
    public static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithPreserveProtoFieldNames(true));

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    /// <summary>Parses <paramref name="json"/> into <typeparamref name="T"/>, or throws listing every problem.</summary>
    public static T Parse<T>(ReadOnlyMemory<byte> json) where T : IMessage<T>, new()
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new ValidationFailedException("The request body",
                [new Problem("", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message.Split(" Path:")[0]}")]);
        }

        using (document)
        {
            var problems = new List<Problem>();
            var descriptor = new T().Descriptor;
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new Problem("", $"must be a JSON object ({descriptor.Name}), not {Describe(document.RootElement.ValueKind)}."));
            }
            else
            {
                CheckMessage(document.RootElement, descriptor, "", problems);
            }

            Throw.IfAny("The request body", problems);
            try
            {
                return Parser.Parse<T>(System.Text.Encoding.UTF8.GetString(json.Span));
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new ValidationFailedException("The request body", [new Problem("", e.Message)]);
            }
        }
    }

    private static void CheckMessage(JsonElement element, MessageDescriptor descriptor, string path, List<Problem> problems)
    {
        foreach (var property in element.EnumerateObject())
        {
            var field = descriptor.FindFieldByName(property.Name) ?? descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == property.Name);
            var fieldPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            if (field is null)
            {
                problems.Add(new Problem(fieldPath, $"is not a field of {descriptor.Name} (fields: {string.Join(", ", descriptor.Fields.InDeclarationOrder().Select(f => f.Name))})."));
                continue;
            }

            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (field.IsRepeated && !field.IsMap)
            {
                if (value.ValueKind != JsonValueKind.Array)
                {
                    problems.Add(new Problem(fieldPath, $"must be an array, not {Describe(value.ValueKind)}."));
                    continue;
                }

                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    CheckValue(item, field, $"{fieldPath}[{i++}]", problems);
                }
            }
            else
            {
                CheckValue(value, field, fieldPath, problems);
            }
        }
    }

    private static void CheckValue(JsonElement value, FieldDescriptor field, string path, List<Problem> problems)
    {
        var kind = value.ValueKind;
        string? expected = field.FieldType switch
        {
            FieldType.String => kind == JsonValueKind.String ? null : "a string",
            FieldType.Bool => kind is JsonValueKind.True or JsonValueKind.False ? null : "true or false",
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Integer(value, int.MinValue, int.MaxValue),
            FieldType.UInt32 or FieldType.Fixed32 => Integer(value, 0, uint.MaxValue),
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 or FieldType.UInt64 or FieldType.Fixed64 => Integer(value, long.MinValue, long.MaxValue),
            FieldType.Double or FieldType.Float => kind is JsonValueKind.Number or JsonValueKind.String ? null : "a number",
            FieldType.Enum => Enum(value, field.EnumType),
            FieldType.Message when field.MessageType.FullName == "google.protobuf.Timestamp" =>
                kind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, out _)
                    ? null : "an RFC 3339 time such as 2026-01-31T00:00:00Z",
            FieldType.Message => kind == JsonValueKind.Object ? null : $"an object ({field.MessageType.Name})",
            _ => null,
        };
        if (expected is not null)
        {
            problems.Add(new Problem(path, $"must be {expected}, not {Show(value)}."));
        }
        else if (field.FieldType == FieldType.Message && field.MessageType.FullName != "google.protobuf.Timestamp")
        {
            CheckMessage(value, field.MessageType, path, problems);
        }
    }

    private static string? Integer(JsonElement value, decimal min, decimal max)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
        return decimal.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? null
            : $"an integer between {min} and {max}";
    }

    private static string? Enum(JsonElement value, EnumDescriptor type) =>
        value.ValueKind switch
        {
            JsonValueKind.String when type.FindValueByName(value.GetString()!) is not null => null,
            JsonValueKind.Number when value.TryGetInt32(out var n) && type.FindValueByNumber(n) is not null => null,
            _ => $"one of {string.Join(", ", type.Values.Skip(1).Select(v => v.Name))}",
        };

    private static string Show(JsonElement value) =>
        value.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? Describe(value.ValueKind) : Tenants.TenantRules.Truncate(value.GetRawText());

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
