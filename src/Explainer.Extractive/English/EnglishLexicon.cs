using System.Globalization;
using Explainer.Core;

namespace Explainer.Extractive.English;

/// <summary>
/// The word lists of the extractive engine, built by <c>./setup</c> into <c>models/english</c> from npm packages:
/// Brill's part-of-speech lexicon (npm <c>brill@3.1.0</c>, MIT: ~90k words with their tags, most likely first) and the
/// VADER sentiment lexicon (npm <c>vader-sentiment@1.1.3</c>; Hutto &amp; Gilbert, ICWSM 2014: 7,500 tokens with a
/// valence from -4 to 4), plus <see cref="ReviewWords"/>, the few product-review words VADER lacks.
/// </summary>
public sealed class EnglishLexicon
{
    public const string DefaultPath = "models/english";

    private readonly Dictionary<string, string[]> _tags;
    private readonly Dictionary<string, double> _valence;

    private EnglishLexicon(Dictionary<string, string[]> tags, Dictionary<string, double> valence)
    {
        _tags = tags;
        _valence = valence;
    }

    /// <summary>The lexicons at <paramref name="path"/> (relative paths resolve against the repository root).</summary>
    public static EnglishLexicon Load(string? path = null)
    {
        var dir = RepositoryPaths.Resolve(string.IsNullOrWhiteSpace(path) ? DefaultPath : path);
        var pos = Path.Combine(dir, "pos.tsv");
        var sentiment = Path.Combine(dir, "sentiment.tsv");
        if (!File.Exists(pos) || !File.Exists(sentiment))
        {
            throw new FileNotFoundException($"The English lexicons are missing from {dir} (pos.tsv, sentiment.tsv): run ./setup, which builds them from npm.");
        }

        var tags = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(pos))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0)
            {
                tags[line[..tab]] = line[(tab + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        var valence = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(sentiment))
        {
            var parts = line.Split('\t');
            if (parts.Length >= 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                valence[parts[0]] = v;
            }
        }

        foreach (var (word, v) in ReviewWords.Valence)
        {
            valence[word] = v;
        }

        return new EnglishLexicon(tags, valence);
    }

    private static readonly Lazy<EnglishLexicon> s_default = new(() => Load());

    /// <summary>The lexicons at <see cref="DefaultPath"/>, loaded once.</summary>
    public static EnglishLexicon Default => s_default.Value;

    /// <summary>The tags of a word as written (capitalised forms first, then lower case), most likely first; empty when unknown.</summary>
    public IReadOnlyList<string> Tags(string word) =>
        _tags.TryGetValue(word, out var t) ? t : _tags.TryGetValue(word.ToLowerInvariant(), out var lower) ? lower : [];

    public bool IsKnown(string word) => Tags(word).Count > 0;

    /// <summary>VADER's valence of a (lower-case) token, or 0.</summary>
    public double Valence(string token) => _valence.GetValueOrDefault(token);

    public bool HasValence(string token) => _valence.ContainsKey(token);
}
