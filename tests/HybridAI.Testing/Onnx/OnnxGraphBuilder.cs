using System.Runtime.InteropServices;
using Google.Protobuf;
using HybridAI.Testing.Onnx.Proto;

namespace HybridAI.Testing.Onnx;

/// <summary>ONNX tensor element types the builder writes (ONNX's numbering).</summary>
#pragma warning disable CA1720 // The names are ONNX's element type names.
public enum OnnxType
{
    Float = 1,
    Int64 = 7,
    Float16 = 10,
}
#pragma warning restore CA1720

/// <summary>
/// Writes small ONNX models from test code: typed inputs and outputs (fixed or symbolic dimensions), initializers and
/// nodes, then <see cref="Save"/>. Models stay readable as code, so a test can state exactly what a model computes.
/// </summary>
public sealed class OnnxGraphBuilder(string name = "test", int opset = 17)
{
    private readonly GraphProto _graph = new() { Name = name };
    private int _generated;

    /// <summary>Adds a graph input; a dimension is an <see cref="int"/> (fixed) or a <see cref="string"/> (symbolic).</summary>
    public string Input(string inputName, OnnxType type, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(inputName, type, dims));
        return inputName;
    }

    /// <summary>Declares a graph output.</summary>
    public string Output(string outputName, OnnxType type, params object[] dims)
    {
        _graph.Output.Add(ValueInfo(outputName, type, dims));
        return outputName;
    }

    /// <summary>Adds a float initializer of the given shape (row-major values).</summary>
    public string Constant(string constantName, float[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        _graph.Initializer.Add(Tensor(constantName, OnnxType.Float, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), dims));
        return constantName;
    }

    /// <summary>Adds an int64 initializer of the given shape (an empty <paramref name="dims"/> is a scalar).</summary>
    public string Constant(string constantName, long[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        _graph.Initializer.Add(Tensor(constantName, OnnxType.Int64, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), dims));
        return constantName;
    }

    /// <summary>Adds a node; returns its (first) output name, generated when not given.</summary>
    public string Node(string opType, string[] inputs, string? output = null, params (string Name, object Value)[] attributes)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        output ??= $"{opType.ToLowerInvariant()}_{_generated++}";
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_generated++}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach (var (attributeName, value) in attributes)
        {
            node.Attribute.Add(value switch
            {
                long l => new AttributeProto { Name = attributeName, Type = AttributeProto.Types.AttributeType.Int, I = l },
                int i => new AttributeProto { Name = attributeName, Type = AttributeProto.Types.AttributeType.Int, I = i },
                float f => new AttributeProto { Name = attributeName, Type = AttributeProto.Types.AttributeType.Float, F = f },
                long[] ls => new AttributeProto { Name = attributeName, Type = AttributeProto.Types.AttributeType.Ints, Ints = { ls } },
                _ => throw new ArgumentException($"Attribute {attributeName}: {value.GetType().Name} is not supported."),
            });
        }

        _graph.Node.Add(node);
        return output;
    }

    /// <summary>The model's bytes.</summary>
    public byte[] ToBytes()
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "HybridAI.Testing", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model.ToByteArray();
    }

    public void Save(string path) => File.WriteAllBytes(path, ToBytes());

    private static ValueInfoProto ValueInfo(string valueName, OnnxType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                int i => new TensorShapeProto.Types.Dimension { DimValue = i },
                long l => new TensorShapeProto.Types.Dimension { DimValue = l },
                string s => new TensorShapeProto.Types.Dimension { DimParam = s },
                _ => throw new ArgumentException($"Dimension {dim} must be an int or a string."),
            });
        }

        return new ValueInfoProto { Name = valueName, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    private static TensorProto Tensor(string tensorName, OnnxType type, byte[] raw, long[] dims)
    {
        var tensor = new TensorProto { Name = tensorName, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
