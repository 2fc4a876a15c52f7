namespace Explainer.Core.Domain;

/// <summary>One version of a prompt in <c>prompts/</c>, identified by the hash of its template and settings.</summary>
public sealed record PromptVersion
{
    /// <summary>Where a version came from: a file in <c>prompts/</c> (synced by hash) or the tuning page's editor.</summary>
    public const string FromFile = "file";
    public const string FromEditor = "editor";

    /// <summary><c>name|hash</c>.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Hash { get; init; }

    public required string Template { get; init; }

    public required string Config { get; init; }

    public bool Active { get; init; }

    public DateTimeOffset FirstSeen { get; init; }

    /// <summary><see cref="FromFile"/> or <see cref="FromEditor"/>; null on versions stored before it was recorded (files).</summary>
    public string? Origin { get; init; }

    /// <summary>Who wrote it and why (the editor's author note); null for file versions.</summary>
    public string? Author { get; init; }

    public string? Note { get; init; }

    /// <summary>The version it was edited from (hash), when created in the editor.</summary>
    public string? Parent { get; init; }
}
