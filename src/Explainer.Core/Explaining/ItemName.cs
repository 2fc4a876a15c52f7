using AvsAnLib;
using Humanizer;
using Explainer.Core.Domain;
using Explainer.Core.Text;

namespace Explainer.Core.Explaining;

/// <summary>
/// What an explanation calls an item, in correct English: its title cut at the first clause boundary ("Fender 351
/// Premium Celluloid Picks", not the catalogue line), with "the" (<see cref="Definite"/>); or, without a usable title,
/// its category in the singular ("this tuner", "a tuner"); or "this item". Never "the this item", never "this tuners".
/// A work (a title ending with its year, "Cube (1997)") is a proper name: no article, no "your", no year.
/// </summary>
public sealed record ItemName(string Short, string Definite, string Indefinite, bool HasTitle)
{
    /// <summary>The title names a work (a film, a book): said as it is, never "the Cube" or "your Cube".</summary>
    public bool IsWork { get; init; }

    /// <summary>The name ends on a plural noun ("the Fender 351 Premium Celluloid Guitar Picks"): it takes "are", not "is".</summary>
    public bool IsPlural => !IsWork && HasTitle && Short.Split(' ')[^1] is { Length: > 3 } last && char.IsLetter(last[^1])
        && last.EndsWith('s') && !last.EndsWith("ss", StringComparison.Ordinal) && last.ToLowerInvariant() is var lower
        && lower.Singularize(inputIsKnownToBePlural: false) != lower && !SingularInS.Contains(lower);

    private static readonly HashSet<string> SingularInS = new(StringComparer.Ordinal) { "bass", "lens", "series", "news", "bus", "plus", "chorus", "canvas", "focus", "status", "chassis", "always", "boss", "gps" };

    /// <summary>"the Snark SN-5", "Cube", "the tuner": the item as something the user has had.</summary>
    public string Plain => HasTitle ? Definite : "the " + Short;

    /// <summary>"your Snark SN-5", "Cube", "the tuner you reviewed": one of the user's own items.</summary>
    public string Owned(string verb) => IsWork ? Short : HasTitle ? (Short.StartsWith("your ", StringComparison.OrdinalIgnoreCase) ? Short : "your " + Short) : $"the {Short} you {verb}"; // not "your Your Cable Store ...

    private static readonly HashSet<string> DanglingWords = new(StringComparer.OrdinalIgnoreCase) { "and", "with", "for", "the", "of", "&", "-", "a", "an", "to", "in", "on", "by", "or", "features", "+", "w", "w/" };

    public static ItemName For(Item item, int words = 7)
    {
        // A title written to steer a model is not repeated to a shopper (nor to a model).
        var title = UntrustedText.IsUnfit(item.Title) ? null : item.Title?.Trim();
        if (!string.IsNullOrEmpty(title) && Titles.IsWork(title) && Titles.WorkName(title) is { Length: > 0 } work)
        {
            // A work keeps its "!" ("¡Three Amigos!"): the sentence splitter reads on when the text goes on in lower case.
            var name = work.Replace("\"", string.Empty, StringComparison.Ordinal).Replace("“", string.Empty, StringComparison.Ordinal).Replace("”", string.Empty, StringComparison.Ordinal);
            return new ItemName(name, name, name, true) { IsWork = true };
        }

        var head = item.LeafCategory is { Length: > 0 } category ? Singular(category).Split(' ')[^1] : null;
        if (!string.IsNullOrEmpty(title) && ShortTitle(title, words, head) is { Length: > 0 } shortTitle)
        {
            return new ItemName(shortTitle, "the " + shortTitle, "the " + shortTitle, true);
        }

        if (item.LeafCategory is { Length: > 0 } leaf && Singular(leaf) is { Length: > 0 } thing)
        {
            return new ItemName(thing, "this " + thing, Article(thing) + " " + thing, false);
        }

        return new ItemName("item", "this item", "an item", false);
    }

    /// <summary>"a" or "an" before a word, by how English speakers say it (AvsAn, from Wikipedia usage: "an hour", "a unicorn").</summary>
    public static string Article(string word) => AvsAn.Query(word).Article;

    /// <summary>A category as one thing of it, lower case: "Tuners" is "tuner", "Electric Guitar Strings" is "set of electric guitar strings".</summary>
    public static string Singular(string category)
    {
        var c = category.Trim();
        var lower = c.Length > 1 && char.IsUpper(c[0]) && !char.IsUpper(c[1]) ? c.ToLowerInvariant() : c;

        // "X & Y" and "X, Y" categories name two kinds: keep them whole as a kind ("distortion & overdrive pedal" is not known, so "item").
        if (lower.Contains('&', StringComparison.Ordinal) || lower.Contains(',', StringComparison.Ordinal))
        {
            var first = lower.Split(['&', ','], 2)[0].Trim();
            return first.Length > 0 ? Singular(first) + " item" : "item";
        }

        var words = lower.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return string.Empty;
        }

        // Sets come as plurals that stay plural: strings, picks and the like are bought as "a set of".
        if (words[^1] is "strings" or "picks" or "pins" or "pegs" or "knobs" or "pads" or "tips" or "wheels")
        {
            return "set of " + lower;
        }

        words[^1] = words[^1].Singularize(inputIsKnownToBePlural: false);
        return string.Join(' ', words);
    }

    /// <summary>
    /// The title up to its first separator (" - ", "(", ",", "/"), about <paramref name="maxWords"/> words, no quotes, not
    /// ending on a joining word. A longer title is cut after its head noun (the category's, e.g. "hanger") when that comes
    /// a little later, or kept whole when only a little longer, so a name never ends on a word that names something else
    /// ("On Stage GS7355 Triple Hang It Guitar" is not a guitar).
    /// </summary>
    public static string ShortTitle(string title, int maxWords = 7, string? headNoun = null)
    {
        foreach (var separator in maxWords > 7 ? new[] { " - ", " – ", " — ", "|", ";" } : [" - ", " – ", " — ", "(", ",", " / ", "|", " with ", " w/ ", ";", ":"])
        {
            // Not where the cut would drop the only mention of what the item is ("Live For Music, Acoustic Guitar Capo").
            var at = title.IndexOf(separator, StringComparison.Ordinal);
            if (at >= 12 && (headNoun is null || HasHead(title[..at], headNoun) || !HasHead(title[at..], headNoun)))
            {
                title = title[..at];
            }
        }

        // Quotes in a title would read as a quotation of evidence, "!" and "?" as the end of a sentence; a leading
        // article is the text's to add ("the String Cleaner", not "the The String Cleaner").
        var words = title.Replace("\"", string.Empty, StringComparison.Ordinal).Replace("“", string.Empty, StringComparison.Ordinal).Replace("”", string.Empty, StringComparison.Ordinal)
            .Replace("!", string.Empty, StringComparison.Ordinal).Replace("?", string.Empty, StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && words[0] is "The" or "the" or "A" or "An" or "THE")
        {
            words.RemoveAt(0);
        }

        if (words.Count > maxWords)
        {
            var head = headNoun is null ? -1 : words.FindLastIndex(Math.Min(words.Count - 1, maxWords + 3), w => IsHead(w, headNoun));
            words = head >= 1 ? [.. words.Take(head + 1)] : words.Count <= maxWords + 2 ? words : [.. words.Take(maxWords)];
        }

        // Nor on a cut-off letter ("Hosa XVS101F Right Angle 3.5mm M", of "3.5mm M to 3.5mm F").
        while (words.Count > 2 && (DanglingWords.Contains(words[^1].TrimEnd(',', '.')) || words[^1] is { Length: 1 } letter && char.IsLetter(letter[0])))
        {
            words.RemoveAt(words.Count - 1);
        }

        return string.Join(' ', words).TrimEnd(',', '.', ';', ':', '-', '&');
    }

    private static bool HasHead(string text, string head) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(w => IsHead(w, head));

    private static bool IsHead(string word, string head)
    {
        var w = word.TrimEnd(',', '.', ';', ':').ToLowerInvariant();
        return w == head || w == head + "s" || w == head + "es";
    }
}
