using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace Explainer.Onnx;

/// <summary>
/// A sentence encoder over ONNX Runtime that speaks the BERT contract: int64 inputs <c>input_ids</c>,
/// <c>attention_mask</c> and, when the graph has it, <c>token_type_ids</c>; output token states
/// <c>[batch, seq, dim]</c> pooled here with the attention mask, or an already pooled <c>[batch, dim]</c>.
/// Texts are tokenized with Microsoft.ML.Tokenizers' BERT WordPiece, sorted by length and run in batches padded to
/// their longest text; vectors are L2-normalised. One <see cref="InferenceSession"/> serves all threads.
/// </summary>
/// <remarks>
/// Defined results: an empty or whitespace-only text is an <see cref="ArgumentException"/> (it names the index);
/// a text whose every token has a zero state (e.g. only words unknown to the GloVe encoder) gives the zero vector,
/// whose dot product with every vector is 0.
/// </remarks>
internal sealed class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private const string InputIds = "input_ids";
    private const string AttentionMask = "attention_mask";
    private const string TokenTypeIds = "token_type_ids";

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly RunOptions _runOptions = new();
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int _batchSize;
    private bool _disposed;

    private OnnxEmbeddingGenerator(string folder, EncoderInfo info, BertTokenizer tokenizer, int vocabSize, InferenceSession session, string outputName, bool hasTokenTypes, int batchSize, string executionProvider)
    {
        Folder = folder;
        Info = info;
        _tokenizer = tokenizer;
        VocabSize = vocabSize;
        _session = session;
        _outputNames = [outputName];
        _inputNames = hasTokenTypes ? [InputIds, AttentionMask, TokenTypeIds] : [InputIds, AttentionMask];
        _batchSize = batchSize;
        ExecutionProvider = executionProvider;
        _metadata = new EmbeddingGeneratorMetadata("onnxruntime", new Uri(Path.GetFullPath(folder)), info.Name, info.Dimension);
    }

    public string Folder { get; }

    public EncoderInfo Info { get; }

    public int VocabSize { get; }

    /// <summary>"CUDA" or "CPU".</summary>
    public string ExecutionProvider { get; }

    internal BertTokenizer Tokenizer => _tokenizer;

    /// <summary>Opens the encoder in <paramref name="folder"/>, checking everything that can be checked before the first text.</summary>
    public static OnnxEmbeddingGenerator Open(string folder, EncoderOptions options, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options.BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Threads, nameof(options.Threads));
        var info = EncoderInfo.Load(folder);
        var modelPath = Path.Combine(folder, EncoderInfo.ModelFileName);
        var vocabPath = Path.Combine(folder, EncoderInfo.VocabFileName);
        foreach (var required in (string[])[modelPath, vocabPath])
        {
            if (!File.Exists(required))
            {
                throw new EncoderException($"The encoder folder '{folder}' has no {Path.GetFileName(required)}. Rebuild it (./setup, or explainer models build-encoder --force).");
            }
        }

        var (tokenizer, vocabSize) = LoadTokenizer(vocabPath, info);
        var (session, provider) = CreateSession(modelPath, options, logger);
        try
        {
            var (outputName, hasTokenTypes) = CheckGraph(session, info, folder, vocabSize);
            var generator = new OnnxEmbeddingGenerator(folder, info, tokenizer, vocabSize, session, outputName, hasTokenTypes, options.BatchSize, provider);
            generator.Probe();
            logger.LogInformation("Encoder {Name} ({Dimension} dimensions, {VocabSize} tokens) runs on {Provider}, from {Folder}", info.Name, info.Dimension, vocabSize, provider, folder);
            return generator;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var texts = values as IReadOnlyList<string> ?? [.. values];
        var vectors = Embed(texts, out var tokens, cancellationToken);
        var created = DateTimeOffset.UtcNow;
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Length)
        {
            Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens },
        };
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = Info.Name, CreatedAt = created });
        }

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return
            serviceKey is not null ? null :
            serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata :
            serviceType == typeof(EncoderInfo) ? Info :
            serviceType == typeof(InferenceSession) ? _session :
            serviceType.IsInstanceOfType(this) ? this :
            null;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _session.Dispose();
            _runOptions.Dispose();
        }
    }

    /// <summary>The token ids fed to the model for <paramref name="text"/>: [CLS] … [SEP], truncated to <see cref="EncoderInfo.MaxTokens"/>.</summary>
    internal int[] Tokenize(string text)
    {
        var ids = _tokenizer.EncodeToIds(text, addSpecialTokens: true);
        if (ids.Count <= Info.MaxTokens)
        {
            return [.. ids];
        }

        var truncated = new int[Info.MaxTokens];
        for (var i = 0; i < truncated.Length - 1; i++)
        {
            truncated[i] = ids[i];
        }

        truncated[^1] = _tokenizer.SeparatorTokenId;
        return truncated;
    }

    /// <summary>Embeds <paramref name="texts"/>, sorted by token count and batched; the result is in input order.</summary>
    internal float[][] Embed(IReadOnlyList<string> texts, out long tokenCount, CancellationToken cancellationToken = default)
    {
        var ids = new int[texts.Count][];
        tokenCount = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(texts[i]))
            {
                throw new ArgumentException($"Text {i} is empty or blank; the encoder needs at least one non-space character.", nameof(texts));
            }

            ids[i] = Tokenize(texts[i]);
            tokenCount += ids[i].Length;
        }

        // Sort by length (stable) so each batch pads to a similar length.
        var order = Enumerable.Range(0, ids.Length).OrderBy(i => ids[i].Length).ToArray();
        var vectors = new float[texts.Count][];
        for (var start = 0; start < order.Length; start += _batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(start, Math.Min(_batchSize, order.Length - start)).ToArray();
            var pooled = RunBatch(batch.Select(i => ids[i]).ToArray());
            for (var b = 0; b < batch.Length; b++)
            {
                vectors[batch[b]] = pooled[b];
            }
        }

        return vectors;
    }

    private float[][] RunBatch(int[][] batch)
    {
        var rows = batch.Length;
        var seq = batch.Max(b => b.Length);
        var size = rows * seq;
        var idsBuffer = ArrayPool<long>.Shared.Rent(size);
        var maskBuffer = ArrayPool<long>.Shared.Rent(size);
        var typeBuffer = _inputNames.Length == 3 ? ArrayPool<long>.Shared.Rent(size) : null;
        try
        {
            var padId = _tokenizer.PaddingTokenId;
            for (var r = 0; r < rows; r++)
            {
                var row = batch[r];
                for (var t = 0; t < seq; t++)
                {
                    var real = t < row.Length;
                    idsBuffer[(r * seq) + t] = real ? row[t] : padId;
                    maskBuffer[(r * seq) + t] = real ? 1 : 0;
                }
            }

            typeBuffer?.AsSpan(0, size).Clear();
            long[] shape = [rows, seq];
            using var idsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, idsBuffer.AsMemory(0, size), shape);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, maskBuffer.AsMemory(0, size), shape);
            using var typeValue = typeBuffer is null ? null : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, typeBuffer.AsMemory(0, size), shape);
            OrtValue[] inputs = typeValue is null ? [idsValue, maskValue] : [idsValue, maskValue, typeValue];

            IDisposableReadOnlyCollection<OrtValue> outputs;
            try
            {
                outputs = _session.Run(_runOptions, _inputNames, inputs, _outputNames);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new EncoderException($"The encoder '{Info.Name}' ({Folder}) failed on a batch of {rows} texts of up to {seq} tokens: {ex.Message}", ex);
            }

            using (outputs)
            {
                return Pool(outputs[0], maskBuffer.AsSpan(0, size), rows, seq);
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(idsBuffer);
            ArrayPool<long>.Shared.Return(maskBuffer);
            if (typeBuffer is not null)
            {
                ArrayPool<long>.Shared.Return(typeBuffer);
            }
        }
    }

    private float[][] Pool(OrtValue output, ReadOnlySpan<long> mask, int rows, int seq)
    {
        var shape = output.GetTensorTypeAndShape().Shape;
        var dim = Info.Dimension;
        var expected = Info.Pooling == EncoderPooling.None ? new long[] { rows, dim } : [rows, seq, dim];
        if (!shape.AsSpan().SequenceEqual(expected))
        {
            throw new EncoderException($"The encoder '{Info.Name}' ({Folder}) output '{_outputNames[0]}' has shape [{string.Join(", ", shape)}], expected [{string.Join(", ", expected)}] (pooling {Info.Pooling}, dimension {dim} in {EncoderInfo.FileName}).");
        }

        var data = output.GetTensorDataAsSpan<float>();
        var vectors = new float[rows][];
        for (var r = 0; r < rows; r++)
        {
            var v = new float[dim];
            switch (Info.Pooling)
            {
                case EncoderPooling.None:
                    data.Slice(r * dim, dim).CopyTo(v);
                    break;
                case EncoderPooling.Cls:
                    data.Slice(r * seq * dim, dim).CopyTo(v);
                    break;
                default:
                    var count = 0;
                    for (var t = 0; t < seq; t++)
                    {
                        if (mask[(r * seq) + t] != 0)
                        {
                            TensorPrimitives.Add(v, data.Slice(((r * seq) + t) * dim, dim), v);
                            count++;
                        }
                    }

                    TensorPrimitives.Divide(v, Math.Max(count, 1), v);
                    break;
            }

            Normalize(v);
            vectors[r] = v;
        }

        return vectors;
    }

    /// <summary>Scales <paramref name="v"/> to unit length; the zero vector stays zero. NaN or infinity is an error.</summary>
    internal static void Normalize(Span<float> v)
    {
        var norm = TensorPrimitives.Norm(v);
        if (!float.IsFinite(norm))
        {
            throw new EncoderException("The encoder produced a non-finite vector (NaN or infinity); the model is broken.");
        }

        if (norm > 0)
        {
            TensorPrimitives.Divide(v, norm, v);
        }
    }

    /// <summary>Runs the highest token id of the vocabulary once: a vocabulary larger than the model's embedding table fails here, clearly, not later.</summary>
    private void Probe()
    {
        int[] probe = [_tokenizer.ClassificationTokenId, VocabSize - 1, _tokenizer.SeparatorTokenId];
        try
        {
            RunBatch([probe]);
        }
        catch (EncoderException ex) when (ex.InnerException is OnnxRuntimeException)
        {
            throw new EncoderException($"The encoder in '{Folder}' does not accept its own vocabulary: {EncoderInfo.VocabFileName} has {VocabSize} tokens but running the highest id ({VocabSize - 1}) failed, so the vocabulary does not match the model's embedding table. ONNX Runtime said: {ex.InnerException.Message}", ex.InnerException);
        }
    }

    private static (BertTokenizer Tokenizer, int VocabSize) LoadTokenizer(string vocabPath, EncoderInfo info)
    {
        try
        {
            var vocabSize = File.ReadLines(vocabPath).Count(line => line.Length > 0);
            var tokenizer = BertTokenizer.Create(vocabPath, new BertOptions
            {
                LowerCaseBeforeTokenization = info.LowerCase,
                RemoveNonSpacingMarks = info.LowerCase,
                ApplyBasicTokenization = true,
                SplitOnSpecialTokens = true,
            });
            return (tokenizer, vocabSize);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException or IOException)
        {
            throw new EncoderException($"{vocabPath} is not a usable WordPiece vocabulary (one token per line, with [PAD], [UNK], [CLS] and [SEP]): {ex.Message}", ex);
        }
    }

    /// <summary>The first CUDA library (Linux names) the CUDA execution provider needs that cannot be loaded, or null when all load.</summary>
    private static string? MissingCudaLibrary()
    {
        foreach (var library in new[] { "libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13", "libcudnn.so.9" })
        {
            if (!NativeLibrary.TryLoad(library, out var handle))
            {
                return library;
            }

            NativeLibrary.Free(handle);
        }

        return null;
    }

    private static (InferenceSession Session, string Provider) CreateSession(string modelPath, EncoderOptions options, ILogger logger)
    {
        var cudaBuilt = OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider");
        if (options.Device == EncoderDevice.Cuda && !cudaBuilt)
        {
            throw new EncoderException("Encoder:Device is 'cuda' but this build's ONNX Runtime has no CUDA execution provider. Build with -p:OnnxGpu=true (Microsoft.ML.OnnxRuntime.Gpu, with the CUDA 13 runtime and cuDNN 9 installed) or set Encoder:Device to auto or cpu.");
        }

        // ONNX Runtime prints a red error line of its own when the CUDA provider's libraries are missing, so they are
        // looked for first: a GPU build on a machine without CUDA says once, in one line, what is missing.
        // With Device=cuda the provider is tried regardless (it may find libraries this search does not).
        if (options.Device == EncoderDevice.Auto && cudaBuilt && OperatingSystem.IsLinux() && MissingCudaLibrary() is { } missing)
        {
            logger.LogWarning("The encoder runs on the CPU: {Library} cannot be loaded (CUDA needs the NVIDIA driver, the CUDA 13 runtime and cuDNN 9; Encoder:Device=cpu skips this check).", missing);
        }
        else if (options.Device != EncoderDevice.Cpu && cudaBuilt)
        {
            try
            {
                return (NewSession(modelPath, options, cuda: true), "CUDA");
            }
            catch (OnnxRuntimeException ex) when (options.Device == EncoderDevice.Auto)
            {
                logger.LogWarning("The CUDA execution provider could not start ({Message}); the encoder runs on the CPU. CUDA needs the NVIDIA driver, the CUDA 13 runtime and cuDNN 9; Encoder:Device=cpu skips the attempt.", ex.Message);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new EncoderException($"Encoder:Device is 'cuda' but the CUDA execution provider could not start: {ex.Message}", ex);
            }
        }

        return (NewSession(modelPath, options, cuda: false), "CPU");
    }

    private static InferenceSession NewSession(string modelPath, EncoderOptions options, bool cuda)
    {
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (options.Threads > 0)
        {
            sessionOptions.IntraOpNumThreads = options.Threads;
        }

        if (cuda)
        {
            sessionOptions.AppendExecutionProvider_CUDA(0);
        }

        try
        {
            return new InferenceSession(modelPath, sessionOptions);
        }
        catch (OnnxRuntimeException ex) when (!cuda)
        {
            throw new EncoderException($"{modelPath} cannot be loaded by ONNX Runtime (corrupt, truncated or not an ONNX model): {ex.Message}", ex);
        }
    }

    private static (string OutputName, bool HasTokenTypes) CheckGraph(InferenceSession session, EncoderInfo info, string folder, int vocabSize)
    {
        var inputs = session.InputMetadata;
        var names = string.Join(", ", inputs.Keys);
        foreach (var name in inputs.Keys)
        {
            if (name is not (InputIds or AttentionMask or TokenTypeIds))
            {
                throw new EncoderException($"The model in '{folder}' has an input '{name}' outside the BERT contract (inputs: {names}; expected {InputIds}, {AttentionMask} and optionally {TokenTypeIds}).");
            }

            if (inputs[name].ElementDataType != TensorElementType.Int64)
            {
                throw new EncoderException($"The model in '{folder}' takes '{name}' as {inputs[name].ElementDataType}; the BERT contract here is int64.");
            }
        }

        if (!inputs.ContainsKey(InputIds) || !inputs.ContainsKey(AttentionMask))
        {
            throw new EncoderException($"The model in '{folder}' does not follow the BERT contract: it needs inputs {InputIds} and {AttentionMask} (it has: {names}).");
        }

        var outputs = session.OutputMetadata;
        var outputName = info.OutputName ?? outputs.Keys.First();
        if (!outputs.TryGetValue(outputName, out var output))
        {
            throw new EncoderException($"{EncoderInfo.FileName} in '{folder}' names output '{outputName}', but the model's outputs are: {string.Join(", ", outputs.Keys)}.");
        }

        var rank = info.Pooling == EncoderPooling.None ? 2 : 3;
        if (output.Dimensions.Length != rank || (output.Dimensions[^1] > 0 && output.Dimensions[^1] != info.Dimension))
        {
            throw new EncoderException($"The model in '{folder}' outputs '{outputName}' with shape [{string.Join(", ", output.Dimensions)}]; pooling '{info.Pooling}' and dimension {info.Dimension} in {EncoderInfo.FileName} need rank {rank} ending in {info.Dimension}.");
        }

        if (session.ModelMetadata.CustomMetadataMap.TryGetValue("vocab_size", out var declared) && declared != vocabSize.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new EncoderException($"The model in '{folder}' was built for {declared} tokens but {EncoderInfo.VocabFileName} has {vocabSize}: the vocabulary does not match the graph. Rebuild the encoder.");
        }

        return (outputName, inputs.ContainsKey(TokenTypeIds));
    }
}
