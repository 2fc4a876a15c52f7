using Explainer.Core.Domain;

namespace Explainer.Core.Enrichment;

/// <summary>A keyword an engine found in one review: its surface text, its lemma (the merge key), how well it represents the review, and the sentence it came from.</summary>
public sealed record ReviewKeyword(string Text, string Lemma, double Score, Polarity Polarity, string Sentence);
