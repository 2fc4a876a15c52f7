using System.Globalization;
using Explainer.Core.Domain;
using Explainer.Core.Enrichment;

namespace Explainer.Extractive;

/// <summary>
/// A factual description assembled from the item's own data: what it is (title, category, brand, price, genres)
/// and the phrases its reviewers use most. Nothing is said that the data does not hold.
/// </summary>
public sealed class ExtractiveDescriber : IItemDescriber
{
    public string EngineId => ExtractiveKeywordExtractor.Version;

    public Task<IReadOnlyList<WrittenText>> DescribeAsync(IReadOnlyList<ItemToDescribe> items, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<WrittenText>>([.. items.Select(i => new WrittenText(Describe(i.Item, i.Keywords), EngineId))]);

    public static string Describe(Item item, IReadOnlyList<Keyword> keywords)
    {
        var what = item.LeafCategory is { } leaf ? Article(leaf) + " " + leaf.ToLowerInvariant() : "an item";
        var facts = new List<string>();
        if (item.Brand is { Length: > 0 } brand)
        {
            facts.Add("by " + brand);
        }

        if (item.Price is { } price)
        {
            facts.Add("priced at $" + price.ToString("0.00", CultureInfo.InvariantCulture));
        }

        var title = item.Title is { } t && !Core.Text.UntrustedText.IsUnfit(t) ? t : item.Id;
        var sentence = $"{title}: {what}{(facts.Count > 0 ? " " + string.Join(", ", facts) : string.Empty)}.";
        var liked = keywords.Where(k => k.Polarity == Polarity.Liked).Take(3).Select(k => k.Text).ToList();
        var disliked = keywords.Where(k => k.Polarity == Polarity.Disliked).Take(2).Select(k => k.Text).ToList();
        if (liked.Count > 0)
        {
            sentence += $" Reviewers single out {Join(liked)}.";
        }

        if (disliked.Count > 0)
        {
            sentence += $" Some complain about {Join(disliked)}.";
        }

        return sentence;
    }

    internal static string Join(IReadOnlyList<string> parts) => parts.Count switch
    {
        0 => string.Empty,
        1 => $"\"{parts[0]}\"",
        _ => string.Join(", ", parts.Take(parts.Count - 1).Select(p => $"\"{p}\"")) + $" and \"{parts[^1]}\"",
    };

    private static string Article(string word) => "aeiouAEIOU".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";
}
