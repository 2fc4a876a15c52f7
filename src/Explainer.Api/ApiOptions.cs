namespace Explainer.Api;

/// <summary>Settings of the HTTP API (section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Where <c>explainer serve</c> listens when --urls is not given: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>When set, every <c>/v1</c> request must carry it in the <see cref="KeyHeader"/> header.</summary>
    public string? Key { get; set; }

    public const string KeyHeader = "X-Api-Key";

    /// <summary>How long a response waits for explanations that are not in the store yet; the rest come back as pending.</summary>
    public int ExplanationBudgetMs { get; set; } = 2000;

    /// <summary>Largest request body accepted, in bytes.</summary>
    public long MaxBodyBytes { get; set; } = 16 * 1024;

    /// <summary>Longest free-text query accepted, in characters.</summary>
    public int MaxQueryLength { get; set; } = 500;
}
