using System.Numerics.Tensors;
using Explainer.Core.Domain;

namespace Explainer.Core.Enrichment;

/// <summary>The texts that stand for an item and a profile when they are embedded.</summary>
public static class ItemText
{
    public const int KeywordsInText = 10;

    /// <summary>Title, category path and the item's top liked keywords: what the item is and what its reviewers say.</summary>
    public static string For(Item item, IReadOnlyList<Keyword> keywords)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(item.Title))
        {
            parts.Add(item.Title);
        }

        if (item.Categories.Count > 0)
        {
            parts.Add(string.Join(", ", item.Categories.Distinct(StringComparer.Ordinal)));
        }

        var liked = keywords.Where(k => k.Polarity == Polarity.Liked).Take(KeywordsInText).Select(k => k.Text).ToList();
        if (liked.Count > 0)
        {
            parts.Add(string.Join(", ", liked));
        }

        return parts.Count > 0 ? string.Join(". ", parts) : item.Id;
    }

    /// <summary>
    /// The whole-profile vector: the user's keywords (see <see cref="ProfileVector(IEnumerable{Keyword}, Func{string, float[]?})"/>)
    /// and the items they reviewed, each half. Both are the user's own record, and items carry what a short review leaves out.
    /// </summary>
    public static float[]? ProfileVector(IEnumerable<Keyword> keywords, Func<string, float[]?> vectorOf, IEnumerable<float[]> historyItems)
    {
        var words = ProfileVector(keywords, vectorOf);
        float[]? items = null;
        foreach (var v in historyItems)
        {
            items ??= new float[v.Length];
            TensorPrimitives.Add(items, v, items);
        }

        if (items is not null && TensorPrimitives.Norm(items) is var norm and > 0)
        {
            TensorPrimitives.Divide(items, norm, items);
        }
        else
        {
            items = null;
        }

        if (words is null || items is null)
        {
            return words ?? items;
        }

        TensorPrimitives.Add(words, items, words);
        TensorPrimitives.Divide(words, TensorPrimitives.Norm(words), words);
        return words;
    }

    /// <summary>Weighted mean of keyword vectors: likes add, dislikes subtract half; null when no keyword has a vector.</summary>
    public static float[]? ProfileVector(IEnumerable<Keyword> keywords, Func<string, float[]?> vectorOf)
    {
        float[]? sum = null;
        foreach (var k in keywords)
        {
            if (vectorOf(k.Text) is not { } v)
            {
                continue;
            }

            sum ??= new float[v.Length];
            var w = (float)(k.Polarity == Polarity.Liked ? k.Weight : -0.5 * k.Weight);
            TensorPrimitives.MultiplyAdd(v, w, sum, sum);
        }

        if (sum is null)
        {
            return null;
        }

        var norm = TensorPrimitives.Norm(sum);
        if (norm == 0)
        {
            return null;
        }

        TensorPrimitives.Divide(sum, norm, sum);
        return sum;
    }
}
