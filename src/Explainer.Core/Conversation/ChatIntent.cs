using Explainer.Core.Domain;

namespace Explainer.Core.Conversation;

/// <summary>What a chat line asks for.</summary>
public enum IntentKind
{
    /// <summary>Not understood: the session answers with help, never an error.</summary>
    Unknown,

    /// <summary>"recommend me something": the list again, with the current constraints.</summary>
    Recommend,

    /// <summary>Free text: "a cheap tuner for my ukulele" (a query, maybe with price bounds).</summary>
    Query,

    /// <summary>"more like number 2".</summary>
    MoreLike,

    /// <summary>"not the pedals": leave out a category.</summary>
    ExcludeCategory,

    /// <summary>"why number 1?".</summary>
    Why,

    /// <summary>"I don't like number 3", "not the first one", "I like number 2".</summary>
    Feedback,

    Help,

    Profile,

    Reset,

    Quit,
}

/// <summary>
/// One understood chat line: the intent and its constraints. The same shape comes from the rule-based parser and
/// from an instruction LLM (as schema-constrained JSON).
/// </summary>
public sealed record ChatIntent(IntentKind Kind)
{
    /// <summary>Free text to rank for (Query), or the category to leave out (ExcludeCategory).</summary>
    public string? Text { get; init; }

    /// <summary>1-based position in the last list shown (MoreLike, Why, Feedback).</summary>
    public int? Number { get; init; }

    public FeedbackKind? Feedback { get; init; }

    public decimal? MaxPrice { get; init; }

    public decimal? MinPrice { get; init; }
}

/// <summary>Turns a line of chat into an intent.</summary>
public interface IIntentParser
{
    ValueTask<ChatIntent> ParseAsync(string line, CancellationToken cancellationToken);
}
