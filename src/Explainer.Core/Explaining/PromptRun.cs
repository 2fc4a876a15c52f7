namespace Explainer.Core.Explaining;

/// <summary>One output of a prompt-tuning run: what a prompt version wrote for one (user, item) of the sample, and how it scored.</summary>
public sealed record PromptRunOutput(
    string UserId,
    string ItemId,
    string Text,
    string Engine,
    bool Verified,
    double GroundedPrecision,
    bool FeatureMatch,
    double LatencyMs)
{
    /// <summary>The item's rank in the user's list.</summary>
    public int Rank { get; init; }

    /// <summary>The first sentence states the ranking's top reason (read from the text).</summary>
    public bool Faithful { get; init; }

    public int Links { get; init; }

    public int SupportedLinks { get; init; }

    public IReadOnlyList<string> QuotedUserSentences { get; init; } = [];

    public IReadOnlyList<string> Skeletons { get; init; } = [];

    public IReadOnlyList<string> EnglishErrors { get; init; } = [];

    public IReadOnlyList<string> EvidenceIds { get; init; } = [];

    /// <summary>The evidence shown to the writer, "id: text" per piece, for side-by-side review.</summary>
    public IReadOnlyList<string> Evidence { get; init; } = [];

    /// <summary>Why verification rejected the text or earlier attempts (empty when it passed at once).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>
    /// How far the version's own output got: <see cref="Accepted"/> (it passed the verifier and is the text shown),
    /// <see cref="Rejected"/> (a draft parsed but the verifier refused it), <see cref="Unusable"/> (the model wrote
    /// nothing usable: not JSON, cut off), <see cref="RequestFailed"/> (no answer). The extractive engine's verified text
    /// counts as accepted when no LLM is configured. Null on runs stored before it was recorded.
    /// </summary>
    public int? Level { get; init; }

    public const int Accepted = 3;
    public const int Rejected = 2;
    public const int Unusable = 1;
    public const int RequestFailed = 0;

    /// <summary>The model's drafts that the verifier rejected (the text shown is then the extractive fallback).</summary>
    public IReadOnlyList<string> RejectedDrafts { get; init; } = [];

    /// <summary>Tokens the model read and wrote for it (0 for the extractive engine).</summary>
    public int Tokens { get; init; }

    /// <summary>A reader's judgement of this output: 1 thumbs up, -1 down, 0 none, and a comment.</summary>
    public int Rating { get; init; }

    public string? Comment { get; init; }
}

/// <summary>A stored run of one prompt version over a fixed, seeded sample (<c>prompts run</c>).</summary>
public sealed record PromptRun
{
    /// <summary><c>name|hash|sample|k|seed|ticks</c>: every run is kept (with its judgements); the latest is compared.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Hash { get; init; }

    public required string Model { get; init; }

    public int Sample { get; init; }

    public int Seed { get; init; }

    /// <summary>Recommendations explained per user.</summary>
    public int K { get; init; }

    public IReadOnlyList<PromptRunOutput> Outputs { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }
}
