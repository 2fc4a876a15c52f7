namespace Explainer.Core.Domain;

/// <summary>One version of a prompt in <c>prompts/</c>, identified by the hash of its template and settings.</summary>
public sealed record PromptVersion
{
    /// <summary><c>name|hash</c>.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Hash { get; init; }

    public required string Template { get; init; }

    public required string Config { get; init; }

    public bool Active { get; init; }

    public DateTimeOffset FirstSeen { get; init; }
}
