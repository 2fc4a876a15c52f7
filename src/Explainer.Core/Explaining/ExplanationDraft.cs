namespace Explainer.Core.Explaining;

/// <summary>An explanation before verification: the text, the evidence ids it cites, and the reasons (<c>r1</c>…) it states, in order.</summary>
public sealed record ExplanationDraft(string Text, IReadOnlyList<string> EvidenceIds)
{
    public IReadOnlyList<string> Reasons { get; init; } = [];
}

/// <summary>Writes explanations from evidence without a model (the default engine, and the fallback of the LLM path).</summary>
public interface IExtractiveExplainer
{
    /// <summary>The engine id recorded on what it writes.</summary>
    string EngineId { get; }

    ExplanationDraft Write(ExplanationEvidence evidence);
}
