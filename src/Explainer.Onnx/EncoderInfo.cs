using System.Text.Json;
using System.Text.Json.Serialization;

namespace Explainer.Onnx;

/// <summary>How the encoder's output becomes one vector per text.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EncoderPooling>))]
public enum EncoderPooling
{
    /// <summary>Token states <c>[batch, seq, dim]</c> averaged over the attention mask.</summary>
    Mean,

    /// <summary>Token states <c>[batch, seq, dim]</c>; the first ([CLS]) token's state.</summary>
    Cls,

    /// <summary>The graph already pools: output <c>[batch, dim]</c>.</summary>
    None,
}

/// <summary>
/// <c>encoder.json</c>: what the code needs to know about an encoder folder that the ONNX graph does not say.
/// </summary>
public sealed record EncoderInfo
{
    public const string FileName = "encoder.json";
    public const string ModelFileName = "model.onnx";
    public const string VocabFileName = "vocab.txt";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The model id reported in embeddings (e.g. <c>glove-100d</c>, <c>all-MiniLM-L6-v2</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The vector length.</summary>
    public required int Dimension { get; init; }

    /// <summary>Longest token sequence, [CLS] and [SEP] included; longer texts are truncated.</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>Lower-case (and strip accents) before WordPiece, as uncased BERT models expect.</summary>
    public bool LowerCase { get; init; } = true;

    public EncoderPooling Pooling { get; init; } = EncoderPooling.Mean;

    /// <summary>The graph output to read; null means the first output.</summary>
    public string? OutputName { get; init; }

    /// <summary>Free text: where the encoder comes from.</summary>
    public string? Description { get; init; }

    /// <summary>Reads <c>encoder.json</c> from <paramref name="folder"/>, with errors that name the file and the problem.</summary>
    public static EncoderInfo Load(string folder)
    {
        var path = System.IO.Path.Combine(folder, FileName);
        if (!Directory.Exists(folder))
        {
            throw new EncoderException($"The encoder folder '{folder}' does not exist. Run ./setup to build the default encoder, or set Encoder:Path (EXPLAINER_Encoder__Path) to a folder holding {ModelFileName}, {VocabFileName} and {FileName}.");
        }

        if (!File.Exists(path))
        {
            throw new EncoderException($"'{folder}' is not an encoder folder: {FileName} is missing (expected {ModelFileName}, {VocabFileName} and {FileName}).");
        }

        EncoderInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<EncoderInfo>(File.ReadAllBytes(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new EncoderException($"{path} is not valid: {ex.Message}", ex);
        }

        if (info is null || string.IsNullOrWhiteSpace(info.Name) || info.Dimension <= 0 || info.MaxTokens < 3)
        {
            throw new EncoderException($"{path} must give a name, a positive dimension and maxTokens of at least 3.");
        }

        return info;
    }

    public void Save(string folder) =>
        File.WriteAllText(System.IO.Path.Combine(folder, FileName), JsonSerializer.Serialize(this, JsonOptions) + "\n");
}
