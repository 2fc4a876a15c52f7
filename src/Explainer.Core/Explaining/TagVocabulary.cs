using Explainer.Core.Domain;

namespace Explainer.Core.Explaining;

/// <summary>
/// How many items of the catalogue carry each tag people put on items (MovieLens). A tag many items share ("atmospheric",
/// "Disney") is a description others would recognise; one found on a single film ("rubber nipples") is one person's joke,
/// so an item's tags are offered commonest first.
/// </summary>
public sealed class TagVocabulary
{
    private readonly Dictionary<string, int> _items;

    private TagVocabulary(Dictionary<string, int> items) => _items = items;

    public static TagVocabulary None { get; } = new(new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase));

    public static TagVocabulary From(IEnumerable<Item> items)
    {
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            if (item.Attributes.TryGetValue("tag", out var tags))
            {
                foreach (var tag in tags.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    counts[tag] = counts.GetValueOrDefault(tag) + 1;
                }
            }
        }

        return new TagVocabulary(counts);
    }

    /// <summary>How many items carry the tag (0 when unknown).</summary>
    public int Items(string tag) => _items.GetValueOrDefault(tag);

    /// <summary>The item's tags, those more items share first (a stable sort: ties keep the order people put them on).</summary>
    public IEnumerable<string> Ordered(IEnumerable<string> tags) => tags.OrderByDescending(Items);
}
