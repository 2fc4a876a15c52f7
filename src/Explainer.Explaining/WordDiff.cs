using DiffPlex;
using DiffPlex.Chunkers;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace Explainer.Explaining;

/// <summary>A piece of a word-level diff: <c>=</c> kept, <c>-</c> only in the old text, <c>+</c> only in the new.</summary>
public sealed record DiffPart(string Op, string Text);

/// <summary>Word-level diffs (DiffPlex's Myers diff over words), merged into runs so a page can show them inline.</summary>
public static class WordDiff
{
    private static readonly InlineDiffBuilder Builder = new(new Differ());

    public static IReadOnlyList<DiffPart> Of(string before, string after)
    {
        var model = Builder.BuildDiffModel(before, after, ignoreWhitespace: false, ignoreCase: false, new WordChunker());
        var parts = new List<DiffPart>();
        foreach (var piece in model.Lines)
        {
            var op = piece.Type switch
            {
                ChangeType.Deleted => "-",
                ChangeType.Inserted => "+",
                _ => "=",
            };
            if (parts.Count > 0 && parts[^1].Op == op)
            {
                parts[^1] = parts[^1] with { Text = parts[^1].Text + piece.Text };
            }
            else
            {
                parts.Add(new DiffPart(op, piece.Text));
            }
        }

        return parts;
    }

    /// <summary>The old text back from a diff (the kept and removed parts), for checks.</summary>
    public static string Before(IEnumerable<DiffPart> parts) => string.Concat(parts.Where(p => p.Op != "+").Select(p => p.Text));

    public static string After(IEnumerable<DiffPart> parts) => string.Concat(parts.Where(p => p.Op != "-").Select(p => p.Text));
}
