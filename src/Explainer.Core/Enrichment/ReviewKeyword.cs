using Explainer.Core.Domain;

namespace Explainer.Core.Enrichment;

/// <summary>A keyword an engine found in one review: its surface text, its lemma (the merge key), how well it represents the review, and the sentence it came from.</summary>
/// <remarks><paramref name="Sentiment"/> is what the sentence says about it, -1..1 (0: the engine did not measure it, or the sentence is neutral and the polarity comes from the rating).</remarks>
public sealed record ReviewKeyword(string Text, string Lemma, double Score, Polarity Polarity, string Sentence, double Sentiment = 0);
