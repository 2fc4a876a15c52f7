using System.Globalization;

namespace Explainer.Core.Ranking.Collaborative;

/// <summary>
/// Which model scores the collaborative part for a catalogue, and what it covers, said in words. EASE^R's closed form is
/// a dense n×n inverse (n² memory, n³ time), so above <see cref="RankingOptions.EaseMaxItems"/> items with interactions
/// it is not fitted at all and the hybrid's item-kNN (top-k shrunk-cosine neighbours: O(interactions + items × k)
/// memory) carries the collaborative part for every item. Never a model of part of the catalogue.
/// </summary>
public sealed record CollaborativeModelChoice(EaseModel? Ease, string Description)
{
    public static CollaborativeModelChoice For(InteractionData data, RankingOptions options, IReadOnlyList<int[]>? sideInformation = null)
    {
        var active = data.ItemCounts.Count(c => c > 0);
        var n = active.ToString("N0", CultureInfo.InvariantCulture);
        if (options.EaseLambda <= 0)
        {
            return new(null, $"item-kNN (k={options.Neighbours}) over all {n} items with reviews (Ranking:EaseLambda is 0)");
        }

        if (active > options.EaseMaxItems)
        {
            return new(null, $"item-kNN (k={options.Neighbours}) over all {n} items with reviews: EASE^R's dense fit is limited to Ranking:EaseMaxItems = {options.EaseMaxItems.ToString("N0", CultureInfo.InvariantCulture)} items");
        }

        var ease = new EaseModel(options.EaseLambda, maxItems: int.MaxValue) { SideInformation = sideInformation ?? [], SideWeight = options.EaseSideWeight };
        return new(ease, $"EASE^R (lambda={options.EaseLambda.ToString(CultureInfo.InvariantCulture)}) and item-kNN (k={options.Neighbours}) over all {n} items with reviews");
    }
}
