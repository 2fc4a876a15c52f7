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
    int User = -1)
{
    /// <summary>Items whose content stands for the user (reviewed and liked ones), for content reasons; the history's items when not given.</summary>
    public IReadOnlyList<int>? ContentItems { get; init; }

    /// <summary>Only these items may be recommended (filters applied before taking the top k); null = all not excluded.</summary>
    public Func<int, bool>? Eligible { get; init; }
}
