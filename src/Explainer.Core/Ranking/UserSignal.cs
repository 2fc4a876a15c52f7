using Explainer.Core.Domain;

namespace Explainer.Core.Ranking;

/// <summary>
/// What the ranker knows of one user: weighted keyword vectors, the profile vector, what they have (and their row
/// in the interaction data the collaborative model was fitted on, or −1 for a cold-start query), and what to leave out.
/// </summary>
public sealed record UserSignal(
    IReadOnlyList<(Keyword Keyword, float[] Vector)> Keywords,
    float[]? ProfileVector,
    IReadOnlyList<(int Item, float Weight)> History,
    IReadOnlySet<int> Excluded,
    int User = -1);
