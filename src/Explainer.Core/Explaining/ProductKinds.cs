using Explainer.Core.Domain;
using Humanizer;

namespace Explainer.Core.Explaining;

/// <summary>
/// The kinds of thing a catalogue sells, read from its category names: the plural words in them ("Electric Guitar
/// Strings", "Mic Stands", "Capos" give string, stand, capo), not the qualities some categories are named by
/// ("Tuning", "Compression"). A review phrase whose head is another kind ("the Ernie Ball strings" on a tuner's page)
/// is about other gear, so it is no praise of this item, and "its strings" would misname what the item is.
/// </summary>
public sealed class ProductKinds
{
    private readonly HashSet<string> _kinds;

    private ProductKinds(HashSet<string> kinds) => _kinds = kinds;

    public static ProductKinds None { get; } = new([]);

    public int Count => _kinds.Count;

    public static ProductKinds From(IEnumerable<Item> items)
    {
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var category in items.SelectMany(i => i.Categories).Distinct(StringComparer.Ordinal))
        {
            foreach (var word in Quotes.Words(category))
            {
                if (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && word.Singularize(inputIsKnownToBePlural: false) != word)
                {
                    kinds.Add(ExplanationVerifier.Stem(word));
                }
            }
        }

        return new ProductKinds(kinds);
    }

    /// <summary>The kind a phrase names by its last word ("slinky 9-42 strings" is string), or null for a quality ("tone").</summary>
    public string? KindOf(string phrase) =>
        Quotes.Words(phrase).LastOrDefault() is { } head && _kinds.Contains(ExplanationVerifier.Stem(head)) ? ExplanationVerifier.Stem(head) : null;

    /// <summary>Whether <paramref name="item"/> is of that kind: the head (last word) of its category or of its short title
    /// says so. Strings are not guitars though "Acoustic Guitar Strings" holds the word.</summary>
    public static bool IsKindOf(Item item, string kind) => HeadsOf(item).Contains(kind);

    /// <summary>The kinds <paramref name="item"/> may be: the stemmed last words of its category and of its short title.</summary>
    public static IReadOnlySet<string> HeadsOf(Item item) =>
        new[] { item.LeafCategory ?? string.Empty, ItemName.For(item).Short }.Select(text => Quotes.Words(text).LastOrDefault()).OfType<string>()
            .Select(ExplanationVerifier.Stem).ToHashSet(StringComparer.Ordinal);
}
