using System.Text.RegularExpressions;

namespace Explainer.Core.Text;

/// <summary>Titles of works (films, books): catalogue inversions undone, and how to tell a work's name from a product's.</summary>
public static partial class Titles
{
    /// <summary>
    /// "Bourne Identity, The (2002)" is "The Bourne Identity (2002)": catalogues (MovieLens among them) move a leading
    /// article to the end so lists sort by the first real word; a reader wants it back where it is said.
    /// </summary>
    public static string Uninvert(string title)
    {
        var m = Inverted().Match(title);
        return m.Success ? $"{m.Groups["article"].Value} {m.Groups["name"].Value.Trim()}{m.Groups["rest"].Value}" : title;
    }

    /// <summary>A title that ends with its year in brackets ("Cube (1997)") names a work: said without "the" or "your".</summary>
    public static bool IsWork(string title) => WorkYear().IsMatch(title);

    /// <summary>A work's name as said in a sentence: uninverted, without its bracketed year and alternative titles ("Twelve Monkeys").</summary>
    public static string WorkName(string title) => Brackets().Replace(Uninvert(title), " ").Trim() is { Length: > 0 } name ? Spaces().Replace(name, " ") : title;

    [GeneratedRegex(@"^(?<name>[^()]+?), (?<article>The|A|An|Les|La|Le|Los|Las|El|Il|Das|Die|Der|Den|Det)(?<rest>\s*\(.*)?$")]
    private static partial Regex Inverted();

    [GeneratedRegex(@"\(\s*\d{4}(?:[-–]\d{0,4})?\s*\)\s*$")]
    private static partial Regex WorkYear();

    [GeneratedRegex(@"\s*\([^()]*\)")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
