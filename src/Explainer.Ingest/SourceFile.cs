using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Explainer.Core.Ingest;

namespace Explainer.Ingest;

/// <summary>
/// An input file opened for streaming: plain or gzip (recognised by its magic bytes, not its name), with the
/// compressed position exposed for progress and a check at the end that a gzip file was not cut short.
/// </summary>
public sealed class SourceFile : IDisposable
{
    private readonly FileStream _file;
    private readonly CountingStream? _decompressed;
    private readonly uint? _gzipExpectedSize;

    private SourceFile(string path, FileStream file, Stream content, CountingStream? decompressed, uint? expected)
    {
        Path = path;
        _file = file;
        _decompressed = decompressed;
        _gzipExpectedSize = expected;
        _fallback = new CountingDecoderFallback();
        var utf8 = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).Clone();
        utf8.DecoderFallback = _fallback;
        Reader = new StreamReader(content, utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    private readonly CountingDecoderFallback _fallback;

    /// <summary>Byte sequences read so far that were not valid UTF-8 (each replaced by U+FFFD in the text).</summary>
    public long InvalidUtf8 => _fallback.Count;

    /// <summary>The path as the user gave it (for messages).</summary>
    public string Path { get; }

    public bool IsGzip => _decompressed is not null;

    public TextReader Reader { get; }

    /// <summary>Bytes of the file (compressed bytes for gzip) consumed so far.</summary>
    public long Position => _file.Position;

    public long Length => _file.Length;

    public static SourceFile Open(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IngestException(path, null, "is a directory, not a file.");
        }

        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IngestException(path, null, "file not found.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IngestException(path, null, $"cannot be read: {ex.Message}", ex);
        }

        try
        {
            Span<byte> magic = stackalloc byte[2];
            var n = file.Read(magic);
            file.Position = 0;
            if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            {
                // The gzip trailer's last 4 bytes hold the uncompressed size mod 2^32. .NET's GZipStream ends
                // silently on a truncated file, so the size read is compared with it at the end.
                if (file.Length < 18)
                {
                    throw new IngestException(path, null, "is a truncated gzip file (shorter than a gzip header and trailer).");
                }

                Span<byte> trailer = stackalloc byte[4];
                file.Position = file.Length - 4;
                file.ReadExactly(trailer);
                file.Position = 0;
                var expected = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
                var counting = new CountingStream(new GZipStream(file, CompressionMode.Decompress, leaveOpen: true));
                return new SourceFile(path, file, counting, counting, expected);
            }

            return new SourceFile(path, file, file, null, null);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Call after reading to the end: throws when a gzip file turned out truncated or corrupt.</summary>
    public void VerifyComplete()
    {
        if (_decompressed is not null && (uint)_decompressed.BytesRead != _gzipExpectedSize)
        {
            throw new IngestException(Path, null,
                $"is a truncated or corrupt gzip file: it decompressed to {_decompressed.BytesRead:N0} bytes but its trailer says {_gzipExpectedSize:N0} (mod 2^32). Nothing was imported.");
        }
    }

    /// <summary>Wraps a decompression failure (bad gzip data) as an <see cref="IngestException"/>.</summary>
    public IngestException Corrupt(Exception ex, long? line) =>
        new(Path, line, $"cannot be decompressed ({ex.Message}); the file is corrupt or truncated. Nothing was imported.", ex);

    public void Dispose()
    {
        Reader.Dispose();
        _file.Dispose();
    }

    /// <summary>Replaces invalid UTF-8 with U+FFFD, as the default decoder does, and counts how often it had to.</summary>
    private sealed class CountingDecoderFallback : DecoderFallback
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public override int MaxCharCount => 1;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

        private sealed class Buffer(CountingDecoderFallback owner) : DecoderFallbackBuffer
        {
            private bool _pending;

            public override int Remaining => _pending ? 1 : 0;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                Interlocked.Increment(ref owner._count);
                _pending = true;
                return true;
            }

            public override char GetNextChar()
            {
                if (!_pending)
                {
                    return '\0';
                }

                _pending = false;
                return '\uFFFD';
            }

            public override bool MovePrevious() => false;

            public override void Reset() => _pending = false;
        }
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
