namespace Explainer.Core.Recommending;

/// <summary>The words of a query that say what is wanted: the main noun ("tuner" in "a cheap tuner for my ukulele"), the other nouns, and the content words, all as lemmas.</summary>
public sealed record QueryTerms(string? Head, IReadOnlyList<string> Nouns, IReadOnlyList<string> Words);

/// <summary>Reads queries and item texts into comparable words (lemmas); implemented by the extractive engine's English tools.</summary>
public interface IQueryAnalyzer
{
    QueryTerms Analyze(string query);

    /// <summary>The content words of a text (title, category, phrases) as lemmas.</summary>
    IEnumerable<string> Words(string text);
}
