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
    double LatencyMs);

/// <summary>A stored run of one prompt version over a fixed, seeded sample (<c>prompts run</c>).</summary>
public sealed record PromptRun
{
    /// <summary><c>name|hash|sample|seed</c>: running the same version on the same sample again replaces the run.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Hash { get; init; }

    public required string Model { get; init; }

    public int Sample { get; init; }

    public int Seed { get; init; }

    public IReadOnlyList<PromptRunOutput> Outputs { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }
}
