using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Explainer.Onnx.Tests;

/// <summary>A catalog item for the evaluation: its title (HTML entities decoded) and leaf category.</summary>
internal sealed record CatalogItem(string Id, string Title, string Category);

/// <summary>
/// The same-category nearest-neighbour rate: for each title, is the most similar other title (by cosine) in the
/// same leaf category? Used to compare the encoder with a TF-IDF bag of words on the same titles.
/// </summary>
internal static partial class CatalogEvaluation
{
    public static List<CatalogItem> LoadItems(string path)
    {
        var rows = ParseCsv(File.ReadAllText(path));
        var header = rows[0];
        int id = Array.IndexOf(header, "Product ID"), description = Array.IndexOf(header, "Description"), category = Array.IndexOf(header, "Category");
        if (id < 0 || description < 0 || category < 0)
        {
            throw new InvalidDataException($"{path}: expected columns 'Product ID', 'Description' and 'Category', found: {string.Join(", ", header)}");
        }

        return rows.Skip(1)
            .Where(r => r.Length > Math.Max(description, category))
            .Select(r => new CatalogItem(r[id], WebUtility.HtmlDecode(r[description]).Trim(), r[category].Trim()))
            .ToList();
    }

    /// <summary>RFC 4180: fields separated by commas, quoted fields may hold commas, newlines and doubled quotes.</summary>
    public static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add([.. row]);
        }

        return rows;
    }

    /// <summary>Lower-cased runs of letters and digits.</summary>
    public static IEnumerable<string> Words(string text) => WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value);

    /// <summary>TF-IDF bag of words (raw term counts × smoothed idf ln((1+n)/(1+df))+1, as scikit-learn), L2-normalised.</summary>
    public static List<float[]> TfIdfVectors(IReadOnlyList<string> texts)
    {
        var docs = texts.Select(t => Words(t).ToList()).ToList();
        var vocabulary = docs.SelectMany(d => d).Distinct().Order(StringComparer.Ordinal).Select((w, i) => (w, i)).ToDictionary(x => x.w, x => x.i);
        var df = new int[vocabulary.Count];
        foreach (var doc in docs)
        {
            foreach (var w in doc.Distinct())
            {
                df[vocabulary[w]]++;
            }
        }

        var n = docs.Count;
        return docs.Select(doc =>
        {
            var v = new float[vocabulary.Count];
            foreach (var w in doc)
            {
                v[vocabulary[w]] += (float)(Math.Log((1.0 + n) / (1.0 + df[vocabulary[w]])) + 1.0);
            }

            var norm = MathF.Sqrt(v.Sum(x => x * x));
            if (norm > 0)
            {
                for (var i = 0; i < v.Length; i++)
                {
                    v[i] /= norm;
                }
            }

            return v;
        }).ToList();
    }

    /// <summary>Share of items whose most similar other item (dot product of unit vectors; first on ties) has the same category.</summary>
    public static double SameCategoryRate(IReadOnlyList<float[]> vectors, IReadOnlyList<CatalogItem> items)
    {
        var hits = 0;
        for (var i = 0; i < vectors.Count; i++)
        {
            var best = -1;
            var bestScore = float.NegativeInfinity;
            for (var j = 0; j < vectors.Count; j++)
            {
                if (j == i)
                {
                    continue;
                }

                var score = System.Numerics.Tensors.TensorPrimitives.Dot(vectors[i], vectors[j]);
                if (score > bestScore)
                {
                    bestScore = score;
                    best = j;
                }
            }

            if (items[best].Category == items[i].Category)
            {
                hits++;
            }
        }

        return (double)hits / vectors.Count;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
