using Explainer.Core.Domain;
using Explainer.Core.Recommending;

namespace Explainer.Core.Conversation;

/// <summary>What happened in answer to a line; the front end says it in words (the CLI's chat view).</summary>
public enum ChatEvent
{
    /// <summary>A list, nothing else to say.</summary>
    Listed,
    Help,
    Profile,
    Reset,
    Quit,
    LeftOut,
    MoreLike,
    Liked,
    Disliked,
    NotInterested,
    Why,
    WhichOne,
    NoList,
    NoSuchNumber,
    NotUnderstood,

    /// <summary>No word of the query is known, so nothing can be ranked for it.</summary>
    UnknownWords,

    /// <summary>"not the ..." without a category.</summary>
    WhichCategory,
}

/// <summary>
/// The session's answer to one line: what happened, about what, and the list or explanation that goes with it (the
/// recommendation result, with its reasons, rows and the session's constraints), or the profile for /profile.
/// </summary>
public sealed record ChatReply(ChatEvent Event)
{
    /// <summary>The item, category or words the event is about.</summary>
    public string? Subject { get; init; }

    /// <summary>The list number the line named.</summary>
    public int? Number { get; init; }

    /// <summary>The profile's version after feedback (null: no profile yet).</summary>
    public int? ProfileVersion { get; init; }

    /// <summary>The list now shown (every list answer carries it), filters included.</summary>
    public RecommendationResult? List { get; init; }

    /// <summary>Explanation text as it is produced (one piece when it came from the store).</summary>
    public IAsyncEnumerable<string>? Explanation { get; init; }

    public InterestProfile? Profile { get; init; }

    /// <summary>The session's constraints when the reply was made.</summary>
    public ChatConstraints Constraints { get; init; } = new();

    public bool Quit => Event == ChatEvent.Quit;
}

/// <summary>What the session has been told so far: the query, "more like", price bounds, left-out categories, liked phrases (cold sessions).</summary>
public sealed record ChatConstraints
{
    public string? Query { get; init; }

    public string? LikeTitle { get; init; }

    public decimal? MaxPrice { get; init; }

    public decimal? MinPrice { get; init; }

    public IReadOnlyList<string> LeftOut { get; init; } = [];

    public IReadOnlyList<string> LikedInSession { get; init; } = [];

    public IReadOnlyList<string> DislikedInSession { get; init; } = [];
}
