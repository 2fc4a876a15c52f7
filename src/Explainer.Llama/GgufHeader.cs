using System.Buffers.Binary;
using System.Text;

namespace Explainer.Llama;

/// <summary>
/// Reads a GGUF file's header, metadata and tensor table (not the weights) so that a bad file fails with its path and a
/// reason before llama.cpp sees it: missing, not a GGUF, truncated header or tensor data, no architecture.
/// </summary>
public sealed class GgufHeader
{
    private const uint Magic = 0x46554747; // "GGUF" little-endian

    private GgufHeader(uint version, long tensorCount, string? architecture, string? name, long fileLength, long dataEnd)
    {
        Version = version;
        TensorCount = tensorCount;
        Architecture = architecture;
        Name = name;
        FileLength = fileLength;
        MinimumDataEnd = dataEnd;
    }

    public uint Version { get; }

    public long TensorCount { get; }

    /// <summary><c>general.architecture</c>, e.g. "llama" or "qwen2".</summary>
    public string? Architecture { get; }

    /// <summary><c>general.name</c>, if present.</summary>
    public string? Name { get; }

    public long FileLength { get; }

    /// <summary>Where the data section reaches at least (start of the last tensor); the file must be longer.</summary>
    public long MinimumDataEnd { get; }

    /// <summary>Reads and checks <paramref name="path"/>; throws <see cref="LlamaException"/> naming the path and the reason.</summary>
    public static GgufHeader Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new LlamaException($"The model path '{full}' is a folder; give the .gguf file.");
        }

        if (!File.Exists(full))
        {
            throw new LlamaException($"The model file '{full}' does not exist. See models/README.md for how to get one.");
        }

        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var reader = new Reader(stream, full);
        var length = stream.Length;
        if (length < 4)
        {
            throw new LlamaException($"'{full}' is not a GGUF model: it is only {length} bytes long.");
        }

        var magic = reader.U32();
        if (magic != Magic)
        {
            var first = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(first, magic);
            var shown = first.All(b => b is >= 0x20 and < 0x7F) ? $"'{Encoding.ASCII.GetString(first)}'" : $"0x{Convert.ToHexString(first)}";
            throw new LlamaException($"'{full}' is not a GGUF model: it starts with {shown} instead of 'GGUF'.");
        }

        var version = reader.U32();
        if (version is < 2 or > 3)
        {
            throw new LlamaException($"'{full}' is GGUF version {version}; llama.cpp reads versions 2 and 3.");
        }

        var tensorCount = reader.I64Count("tensor count");
        var kvCount = reader.I64Count("metadata count");
        string? architecture = null, name = null;
        long alignment = 32;
        for (long i = 0; i < kvCount; i++)
        {
            var key = reader.String();
            var type = reader.U32();
            if (key == "general.architecture" && type == 8)
            {
                architecture = reader.String();
            }
            else if (key == "general.name" && type == 8)
            {
                name = reader.String();
            }
            else if (key == "general.alignment" && type == 4)
            {
                alignment = reader.U32();
            }
            else
            {
                reader.SkipValue(type);
            }
        }

        long maxOffset = 0;
        for (long i = 0; i < tensorCount; i++)
        {
            reader.String();
            var dims = reader.U32();
            if (dims > 8)
            {
                throw new LlamaException($"'{full}' is corrupt: a tensor has {dims} dimensions.");
            }

            for (var d = 0; d < dims; d++)
            {
                reader.U64();
            }

            reader.U32();
            maxOffset = Math.Max(maxOffset, (long)reader.U64());
        }

        var dataStart = (stream.Position + alignment - 1) / alignment * alignment;
        var dataEnd = dataStart + maxOffset;
        if (tensorCount > 0 && dataEnd >= length)
        {
            throw new LlamaException(
                $"'{full}' is truncated: it is {length:N0} bytes but its tensors start up to byte {dataEnd:N0}. Download it again.");
        }

        if (string.IsNullOrEmpty(architecture))
        {
            throw new LlamaException($"'{full}' has no general.architecture: it is not a llama.cpp language model.");
        }

        return new GgufHeader(version, tensorCount, architecture, name, length, dataEnd);
    }

    private sealed class Reader(Stream stream, string path)
    {
        private readonly byte[] _buffer = new byte[8];

        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Read(4));

        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Read(8));

        public long I64Count(string what)
        {
            var value = U64();
            if (value > int.MaxValue)
            {
                throw new LlamaException($"'{path}' is corrupt: its {what} is {value}.");
            }

            return (long)value;
        }

        public string String()
        {
            var length = I64Count("string length");
            if (stream.Position + length > stream.Length)
            {
                throw Truncated();
            }

            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            return Encoding.UTF8.GetString(bytes);
        }

        public void SkipValue(uint type)
        {
            switch (type)
            {
                case 0 or 1 or 7: Skip(1); break; // u8, i8, bool
                case 2 or 3: Skip(2); break;
                case 4 or 5 or 6: Skip(4); break;
                case 10 or 11 or 12: Skip(8); break;
                case 8: Skip(I64Count("string length")); break;
                case 9:
                    var elementType = U32();
                    var count = I64Count("array length");
                    var fixedSize = elementType switch { 0 or 1 or 7 => 1, 2 or 3 => 2, 4 or 5 or 6 => 4, 10 or 11 or 12 => 8, _ => 0 };
                    if (fixedSize > 0)
                    {
                        Skip(count * fixedSize);
                    }
                    else
                    {
                        for (long i = 0; i < count; i++)
                        {
                            SkipValue(elementType);
                        }
                    }

                    break;
                default:
                    throw new LlamaException($"'{path}' is corrupt: unknown metadata type {type} at byte {stream.Position}.");
            }
        }

        private void Skip(long count)
        {
            if (stream.Position + count > stream.Length)
            {
                throw Truncated();
            }

            stream.Seek(count, SeekOrigin.Current);
        }

        private ReadOnlySpan<byte> Read(int count)
        {
            if (stream.Position + count > stream.Length)
            {
                throw Truncated();
            }

            stream.ReadExactly(_buffer, 0, count);
            return _buffer.AsSpan(0, count);
        }

        private LlamaException Truncated() =>
            new($"'{path}' is truncated: the GGUF header stops at byte {stream.Length:N0} in the middle of its metadata. Download it again.");
    }
}
