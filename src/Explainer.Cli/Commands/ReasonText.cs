using System.Globalization;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Explainer.Core.Recommending;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary>
/// The one-line "why" of a list row, from the item's top reason (the same reasons its explanation states, shorter),
/// and the note that says when fewer items match than were asked for. Only what the reason holds is said: a query
/// row says "matches" only for words the item has.
/// </summary>
internal static class ReasonText
{
    public static string Short(RecommendedItem row, RecommendationResult result)
    {
        var top = row.Recommendation.TopReason;
        string Name(string id) => result.Referenced.TryGetValue(id, out var item) ? ItemName.For(item).Short : id;
        return top?.Kind switch
        {
            ReasonKind.Collaborative when top.History is [var h, ..] && h.CoReviewers >= 2 =>
                $"{h.CoReviewers} of {Math.Max(h.CoReviewers, h.Reviewers - 1)} who reviewed your {Name(h.ItemId)} also reviewed it",
            ReasonKind.Collaborative when top.History is [var h, ..] => $"goes with your {Name(h.ItemId)}",
            ReasonKind.Collaborative => "reviewed by people with histories like yours",
            ReasonKind.Content when top.Similar is [var s, ..] && s.Similarity > 0.3 => $"like your {Name(s.ItemId)}",
            ReasonKind.Content => "close to what you write about",
            ReasonKind.Popularity => $"{N(top.Reviewers)} reviews, {top.MeanRating.ToString("0.0", CultureInfo.InvariantCulture)} stars on average",
            ReasonKind.Discovery => $"a less-known pick ({N(top.Reviewers)} reviews)",
            ReasonKind.Query when top.MatchedWords.Count > 0 => "matches " + string.Join(", ", top.MatchedWords.Take(3).Select(w => $"\"{w}\"")),
            ReasonKind.Query => "close in meaning to your words",
            _ => "ranks high on every signal",
        };
    }

    /// <summary>Says when the list is shorter than asked because fewer items match, or when a query matched by meaning only.</summary>
    public static void WriteMatching(IAnsiConsole console, RecommendationResult result)
    {
        if (Note(result) is { } note)
        {
            console.MarkupLine($"[yellow]{Markup.Escape(note)}[/]");
        }
    }

    public static string? Note(RecommendationResult result)
    {
        if (result.Items.Count == 0)
        {
            return "Nothing matches all of that.";
        }

        if (result.Query is not null && !result.QueryMatchedByWords)
        {
            return "Nothing in the catalogue is called that; these are the closest in meaning.";
        }

        return result.Matching < result.Request.K ? $"Only {N(result.Matching)} item{(result.Matching == 1 ? "" : "s")} match{(result.Matching == 1 ? "es" : "")}." : null;
    }

    private static string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
