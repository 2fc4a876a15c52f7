namespace Explainer.Hosting;

/// <summary>Which engine writes keywords and descriptions, bound from the configuration section <c>Enrich</c>.</summary>
public sealed class EnrichOptions
{
    public const string Section = "Enrich";

    /// <summary><c>auto</c>: the LLM when one is configured (<c>Llm:ModelPath</c>), else extractive; or <c>extractive</c> / <c>llm</c>.</summary>
    public EnrichEngine Engine { get; set; } = EnrichEngine.Auto;
}

public enum EnrichEngine
{
    Auto = 0,
    Extractive = 1,
    Llm = 2,
}
