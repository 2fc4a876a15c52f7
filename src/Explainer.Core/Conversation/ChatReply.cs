namespace Explainer.Core.Conversation;

/// <summary>One row of a list shown in chat.</summary>
public sealed record ChatItem(int Rank, string ItemId, string Title, decimal? Price, string? Category, string Reason);

/// <summary>
/// What the session answers to one line: a message, a ranked list, or explanation text that streams. The front end
/// decides how to draw it (a Spectre table in a terminal, plain lines when scripted).
/// </summary>
public sealed record ChatReply
{
    /// <summary>Lines said before anything else (acknowledgements, help, the profile, "I didn't get that").</summary>
    public IReadOnlyList<string> Lines { get; init; } = [];

    /// <summary>A ranked list, when the answer is one.</summary>
    public IReadOnlyList<ChatItem>? Items { get; init; }

    /// <summary>Heading of the explanation (e.g. "Why #2, Snark SN-5 tuner:").</summary>
    public string? ExplanationTitle { get; init; }

    /// <summary>Explanation text as it is produced (one piece when it came from the store).</summary>
    public IAsyncEnumerable<string>? Explanation { get; init; }

    /// <summary>The person asked to leave.</summary>
    public bool Quit { get; init; }

    public static ChatReply Say(params string[] lines) => new() { Lines = lines };
}
