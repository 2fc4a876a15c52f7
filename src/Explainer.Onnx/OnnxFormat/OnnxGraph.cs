using System.Runtime.InteropServices;

namespace Explainer.Onnx.OnnxFormat;

/// <summary>ONNX tensor element types used here (TensorProto.DataType).</summary>
internal enum OnnxType
{
    Float = 1,
    Int64 = 7,
}

/// <summary>An attribute of a node: an int, a float, a list of ints or a tensor.</summary>
internal sealed record OnnxAttribute(string Name, long? Int = null, float? Float = null, long[]? Ints = null, OnnxTensor? Tensor = null);

/// <summary>A constant tensor (initializer, or the value of a Constant node). Data is little-endian raw bytes.</summary>
internal sealed record OnnxTensor(string Name, OnnxType Type, long[] Dims, byte[] RawData)
{
    public static OnnxTensor Of(string name, long[] dims, float[] values) => new(name, OnnxType.Float, dims, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static OnnxTensor Of(string name, long[] dims, long[] values) => new(name, OnnxType.Int64, dims, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
}

/// <summary>A graph input or output: name, element type and shape; a null dimension is symbolic (named by <see cref="OnnxValue.DimNames"/>).</summary>
internal sealed record OnnxValue(string Name, OnnxType Type, string?[] DimNames, long[] Dims);

internal sealed record OnnxNode(string OpType, string[] Inputs, string[] Outputs, params OnnxAttribute[] Attributes);

/// <summary>
/// A small, deterministic ONNX model writer: enough of <c>onnx.proto</c> (ModelProto, GraphProto, NodeProto,
/// TensorProto, ValueInfoProto, AttributeProto) to write the GloVe encoder and the test models. Field numbers
/// are those of onnx.proto (IR version 8, default opset).
/// </summary>
internal sealed class OnnxGraph
{
    public const int IrVersion = 8;
    public const int Opset = 17;

    public string Name { get; init; } = "graph";

    public List<OnnxValue> Inputs { get; } = [];

    public List<OnnxValue> Outputs { get; } = [];

    public List<OnnxNode> Nodes { get; } = [];

    public List<OnnxTensor> Initializers { get; } = [];

    public SortedDictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    public void Add(string opType, string[] inputs, string output, params OnnxAttribute[] attributes) =>
        Nodes.Add(new OnnxNode(opType, inputs, [output], attributes));

    /// <summary>Adds a symbolic-batch, symbolic-sequence input (<c>[batch, sequence]</c>).</summary>
    public static OnnxValue Dynamic(string name, OnnxType type, params string?[] dims) => new(name, type, dims, new long[dims.Length]);

    public void WriteTo(Stream destination)
    {
        var model = new ProtoWriter();
        model.Varint(1, IrVersion);                               // ir_version
        model.String(2, "Explainer.Onnx");                       // producer_name
        model.String(3, "1");                                    // producer_version
        model.Message(7, WriteGraph);                            // graph
        model.Message(8, o => { o.String(1, ""); o.Varint(2, Opset); }); // opset_import
        foreach (var (key, value) in Metadata)
        {
            model.Message(14, e => { e.String(1, key); e.String(2, value); }); // metadata_props
        }

        model.CopyTo(destination);
    }

    public void Save(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        WriteTo(file);
    }

    private void WriteGraph(ProtoWriter g)
    {
        var i = 0;
        foreach (var node in Nodes)
        {
            g.Message(1, n =>
            {
                foreach (var input in node.Inputs)
                {
                    n.String(1, input);
                }

                foreach (var output in node.Outputs)
                {
                    n.String(2, output);
                }

                n.String(3, $"{node.OpType}_{i}");
                n.String(4, node.OpType);
                foreach (var a in node.Attributes)
                {
                    n.Message(5, w => WriteAttribute(w, a));
                }
            });
            i++;
        }

        g.String(2, Name);
        foreach (var t in Initializers)
        {
            g.Message(5, w => WriteTensor(w, t));
        }

        foreach (var v in Inputs)
        {
            g.Message(11, w => WriteValue(w, v));
        }

        foreach (var v in Outputs)
        {
            g.Message(12, w => WriteValue(w, v));
        }
    }

    private static void WriteAttribute(ProtoWriter w, OnnxAttribute a)
    {
        w.String(1, a.Name);
        if (a.Float is { } f)
        {
            w.Float(2, f);
            w.Varint(20, 1);
        }
        else if (a.Int is { } i)
        {
            w.Varint(3, i);
            w.Varint(20, 2);
        }
        else if (a.Tensor is { } t)
        {
            w.Message(5, x => WriteTensor(x, t));
            w.Varint(20, 4);
        }
        else if (a.Ints is { } ints)
        {
            w.PackedInt64(8, ints);
            w.Varint(20, 7);
        }
        else
        {
            throw new InvalidOperationException($"Attribute '{a.Name}' has no value.");
        }
    }

    private static void WriteTensor(ProtoWriter w, OnnxTensor t)
    {
        w.PackedInt64(1, t.Dims);
        w.Varint(2, (int)t.Type);
        w.String(8, t.Name);
        w.Bytes(9, t.RawData);
    }

    private static void WriteValue(ProtoWriter w, OnnxValue v)
    {
        w.String(1, v.Name);
        w.Message(2, type => type.Message(1, tensor =>
        {
            tensor.Varint(1, (int)v.Type);
            tensor.Message(2, shape =>
            {
                for (var d = 0; d < v.DimNames.Length; d++)
                {
                    var name = v.DimNames[d];
                    shape.Message(1, dim =>
                    {
                        if (name is null)
                        {
                            dim.Varint(1, v.Dims[d]);
                        }
                        else
                        {
                            dim.String(2, name);
                        }
                    });
                }
            });
        }));
    }
}
