using System.Text.Json;

namespace Explainer.Onnx.Glove;

/// <summary>The header of a wink embeddings file: how many words it has and how long each vector is.</summary>
internal sealed record WinkHeader(int Size, int Dimensions, int NormIndex, int WordIndex);

/// <summary>
/// Streams the wink-embeddings JSON (<c>{"precision":8,"l2NormIndex":100,"wordIndex":101,"size":N,"dimensions":100,
/// "words":[...],"vectors":{"the":[100 numbers, norm, rank],...},"unkVector":[...]}</c>) with a
/// <see cref="Utf8JsonReader"/> over a fixed buffer refilled from the file: the 307 MB file is never in memory.
/// </summary>
internal static class WinkVectorReader
{
    internal const int DefaultBufferSize = 1 << 20;

    /// <summary>
    /// Calls <paramref name="onVector"/> for each entry of <c>vectors</c>, in file order, with the word, its rank
    /// (the file's word index: 0 is the most frequent word) and its vector; stops when it returns false.
    /// <paramref name="onBytes"/> gets the bytes read so far after each buffer.
    /// </summary>
    public static WinkHeader Read(Stream stream, Func<WinkHeader, string, int, float[], bool> onVector, Action<long>? onBytes, CancellationToken cancellationToken, int bufferSize = DefaultBufferSize)
    {
        var buffer = new byte[bufferSize];
        var filled = 0;
        var final = false;
        long read = 0;
        var state = new JsonReaderState();

        int size = -1, dimensions = -1, normIndex = -1, wordIndex = -1;
        WinkHeader? header = null;
        string? topProperty = null;
        string? word = null;
        double[] values = [];
        var count = 0;

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!final)
            {
                var n = stream.Read(buffer, filled, buffer.Length - filled);
                final = n == 0;
                filled += n;
                read += n;
            }

            var reader = new Utf8JsonReader(buffer.AsSpan(0, filled), final, state);
            while (reader.Read())
            {
                var depth = reader.CurrentDepth;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName when depth == 1:
                        topProperty = reader.GetString();
                        break;
                    case JsonTokenType.Number when depth == 1:
                        var number = reader.GetInt32();
                        switch (topProperty)
                        {
                            case "size": size = number; break;
                            case "dimensions": dimensions = number; break;
                            case "l2NormIndex": normIndex = number; break;
                            case "wordIndex": wordIndex = number; break;
                        }

                        break;
                    case JsonTokenType.PropertyName when depth == 2 && topProperty == "vectors":
                        if (header is null)
                        {
                            if (size <= 0 || dimensions <= 0 || normIndex < dimensions || wordIndex < dimensions)
                            {
                                throw new InvalidDataException($"The embeddings file's header is incomplete (size {size}, dimensions {dimensions}, l2NormIndex {normIndex}, wordIndex {wordIndex}); is it a wink-embeddings file?");
                            }

                            header = new WinkHeader(size, dimensions, normIndex, wordIndex);
                            values = new double[Math.Max(normIndex, wordIndex) + 1];
                        }

                        word = reader.GetString();
                        count = 0;
                        break;
                    case JsonTokenType.Number when depth == 3 && topProperty == "vectors":
                        if (count >= values.Length)
                        {
                            throw new InvalidDataException($"The vector of '{word}' has more than {values.Length} numbers.");
                        }

                        values[count++] = reader.GetDouble();
                        break;
                    case JsonTokenType.EndArray when depth == 2 && topProperty == "vectors":
                        if (count != values.Length || word is null)
                        {
                            throw new InvalidDataException($"The vector of '{word}' has {count} numbers, expected {values.Length}.");
                        }

                        var vector = new float[header!.Dimensions];
                        for (var d = 0; d < vector.Length; d++)
                        {
                            vector[d] = (float)values[d];
                        }

                        if (!onVector(header, word, (int)values[header.WordIndex], vector))
                        {
                            onBytes?.Invoke(read - filled + reader.BytesConsumed);
                            return header;
                        }

                        break;
                }
            }

            onBytes?.Invoke(read - filled + reader.BytesConsumed);
            if (final)
            {
                return header ?? throw new InvalidDataException("The embeddings file has no \"vectors\" object; is it a wink-embeddings file?");
            }

            state = reader.CurrentState;
            var consumed = (int)reader.BytesConsumed;
            if (consumed == 0 && filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2); // one token larger than the buffer
            }

            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
        }
    }
}
