using Explainer.Core.Ranking;
using Explainer.Core.Ranking.Collaborative;

namespace Explainer.Evaluation.Tests;

/// <summary>The shared neighbour lists, and how the hybrid ranker's <see cref="ItemCooccurrence"/> reads them.</summary>
public sealed class ShrunkCosineTests
{
    // a {x, y}, b {x, y, z}, c {x}, d {z}; w has no users. |U_x| = 3, |U_y| = 2, |U_z| = 2, x∩y = 2, x∩z = 1, y∩z = 1.
    private static readonly InteractionData Data = InteractionData.FromReviews(
        [TestData.Review("a", "x", 1), TestData.Review("a", "y", 2), TestData.Review("b", "x", 1), TestData.Review("b", "y", 2), TestData.Review("b", "z", 3), TestData.Review("c", "x", 1), TestData.Review("d", "z", 1)],
        ["w", "x", "y", "z"]);

    private static int I(string id) => Data.ItemIndex[id];

    [Fact]
    public void Neighbours_are_the_strongest_shrunk_cosines_without_self_or_strangers()
    {
        var all = ShrunkCosine.Neighbours(new BinaryMatrix(Data), neighbours: 10, shrink: 1);

        // s(x,y) = 2/(√6 + 1), s(x,z) = 1/(√6 + 1), s(y,z) = 1/(√4 + 1)
        Assert.Equal([I("y"), I("z")], all[I("x")].Select(n => n.Item));
        Assert.Equal(2 / (Math.Sqrt(6) + 1), all[I("x")][0].Similarity, 1e-6);
        Assert.Equal(1 / (Math.Sqrt(6) + 1), all[I("x")][1].Similarity, 1e-6);
        Assert.Equal([I("x"), I("z")], all[I("y")].Select(n => n.Item));
        Assert.Equal([I("y"), I("x")], all[I("z")].Select(n => n.Item));
        Assert.Equal(1 / 3.0, all[I("z")][0].Similarity, 1e-6);
        Assert.Empty(all[I("w")]);

        var top1 = ShrunkCosine.Neighbours(new BinaryMatrix(Data), neighbours: 1, shrink: 1);
        Assert.Equal([I("y")], top1[I("z")].Select(n => n.Item));
    }

    [Fact]
    public void Equal_similarities_keep_the_lower_index()
    {
        var data = InteractionData.FromReviews([TestData.Review("a", "p", 1), TestData.Review("a", "q", 2), TestData.Review("a", "r", 3)], ["p", "q", "r"]);
        var top1 = ShrunkCosine.Neighbours(new BinaryMatrix(data), neighbours: 1, shrink: 0);
        Assert.Equal([data.ItemIndex["q"]], top1[data.ItemIndex["p"]].Select(n => n.Item));
        Assert.Equal([data.ItemIndex["p"]], top1[data.ItemIndex["r"]].Select(n => n.Item));
    }

    [Fact]
    public void Cooccurrence_scores_a_history_items_own_neighbours_by_its_weight()
    {
        // With one neighbour per item, z keeps y: a history of z scores y (the item-kNN baseline, which scores a
        // candidate from its own neighbours, gives nothing here: no item keeps z).
        var scores = new float[Data.ItemCount];
        new ItemCooccurrence(Data, neighbours: 1, shrink: 1).Accumulate([(I("z"), 0.5f)], scores);
        Assert.Equal(0.5 / 3, scores[I("y")], 1e-6);
        Assert.Equal(0, scores[I("x")]);
        Assert.Equal(0, scores[I("z")]);
    }
}
