using System.Buffers;
using Explainer.Core.Ranking;

namespace Explainer.Core.Ranking.Collaborative;

/// <summary>
/// EASE^R (Steck 2019): B = I − P·diagMat(1/diag(P)) with P = (XᵀX + λI)⁻¹ and diag(B) = 0, scores = x_u·B.
/// The closed form needs a dense inverse, so it is computed on the items with at least one training interaction (an
/// item nobody interacted with has a zero row and column in XᵀX, hence zero weights: leaving it out changes nothing)
/// and, above <paramref name="maxItems"/> such items, on the <paramref name="maxItems"/> most popular ones only; items
/// left out score below every modelled item (ties by index). That cap is for the evaluation's baseline, which names it;
/// serving never fits a partial model (<see cref="CollaborativeModelChoice"/> switches to item-kNN instead).
/// </summary>
public sealed class EaseModel(double lambda, int maxItems = EaseModel.DefaultMaxItems) : IRecommenderModel, IHistoryScorer
{
    /// <summary>Cap on the dense matrix (n³ inversion, n² memory): 3,000 items is 72 MB and 2.7e10 flops.</summary>
    public const int DefaultMaxItems = 3000;

    private BinaryMatrix? _matrix;
    private int[] _slotOfItem = [];
    private int[] _itemOfSlot = [];
    private float[] _weights = [];

    public string Name => "EASE^R";

    public double Lambda => lambda;

    /// <summary>
    /// Side information as extra rows of X (Jeunen et al. 2020, "closed-form models with side-information"): each row
    /// lists the items sharing one tag (a category, a keyword), added to XᵀX with weight <see cref="SideWeight"/>, so that
    /// items with few interactions borrow co-occurrence from items like them.
    /// </summary>
    public IReadOnlyList<int[]> SideInformation { get; init; } = [];

    public double SideWeight { get; init; }

    /// <summary>Items modelled by the dense closed form (after the size cap).</summary>
    public int ModelledItems => _itemOfSlot.Length;

    public Task FitAsync(InteractionData train, CancellationToken cancellationToken) => FitAsync(new BinaryMatrix(train), cancellationToken);

    public Task FitAsync(BinaryMatrix m, CancellationToken cancellationToken)
    {
        var active = Enumerable.Range(0, m.Items).Where(i => m.UsersOfItem[i].Length > 0)
            .OrderByDescending(i => m.UsersOfItem[i].Length).ThenBy(i => i).Take(maxItems).Order().ToArray();
        var slot = Enumerable.Repeat(-1, m.Items).ToArray();
        for (var s = 0; s < active.Length; s++)
        {
            slot[active[s]] = s;
        }

        var n = active.Length;
        var g = new double[(long)n * n];
        var slots = new List<int>();
        foreach (var items in m.ItemsOfUser)
        {
            slots.Clear();
            foreach (var i in items)
            {
                if (slot[i] >= 0)
                {
                    slots.Add(slot[i]);
                }
            }

            foreach (var a in slots)
            {
                var row = a * n;
                foreach (var b in slots)
                {
                    g[row + b]++;
                }
            }
        }

        if (SideWeight > 0)
        {
            foreach (var row in SideInformation)
            {
                slots.Clear();
                slots.AddRange(row.Where(i => i < slot.Length && slot[i] >= 0).Select(i => slot[i]));
                foreach (var a in slots)
                {
                    foreach (var b in slots)
                    {
                        g[(a * n) + b] += SideWeight;
                    }
                }
            }
        }

        for (var s = 0; s < n; s++)
        {
            g[(s * n) + s] += lambda;
        }

        DenseLinearAlgebra.InvertSpdInPlace(g, n, cancellationToken);
        var weights = new float[(long)n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                weights[(i * n) + j] = i == j ? 0 : (float)(-g[(i * n) + j] / g[(j * n) + j]);
            }
        }

        _weights = weights;
        _slotOfItem = slot;
        _itemOfSlot = active;
        _matrix = m;
        return Task.CompletedTask;
    }

    /// <summary>The modelled items (ascending) and their n×n weights, row-major: what a serving snapshot keeps.</summary>
    internal (int[] ItemOfSlot, float[] Weights) Fitted => (_itemOfSlot, _weights);

    /// <summary>A model fitted before (a serving snapshot) on <paramref name="m"/>'s data: nothing is inverted.</summary>
    internal static EaseModel Restore(double lambda, BinaryMatrix m, int[] itemOfSlot, float[] weights)
    {
        if ((long)itemOfSlot.Length * itemOfSlot.Length != weights.Length || itemOfSlot.Any(i => (uint)i >= (uint)m.Items))
        {
            throw new InvalidDataException($"EASE^R weights for {itemOfSlot.Length} items do not fit a catalogue of {m.Items} items.");
        }

        var slot = Enumerable.Repeat(-1, m.Items).ToArray();
        for (var s = 0; s < itemOfSlot.Length; s++)
        {
            slot[itemOfSlot[s]] = s;
        }

        return new EaseModel(lambda, int.MaxValue) { _matrix = m, _slotOfItem = slot, _itemOfSlot = itemOfSlot, _weights = weights };
    }

    public void Score(int user, Span<float> scores)
    {
        var m = _matrix ?? throw new InvalidOperationException("Fit the model before scoring.");
        scores.Fill(-1e9f);
        if (user >= m.Users)
        {
            return;
        }

        var n = _itemOfSlot.Length;
        var buffer = ArrayPool<float>.Shared.Rent(n);
        try
        {
            var acc = buffer.AsSpan(0, n);
            acc.Clear();
            foreach (var i in m.ItemsOfUser[user])
            {
                var s = _slotOfItem[i];
                if (s >= 0)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(acc, _weights.AsSpan(s * n, n), acc);
                }
            }

            for (var s = 0; s < n; s++)
            {
                scores[_itemOfSlot[s]] = acc[s];
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>B[from → to]: how much having <paramref name="from"/> adds to <paramref name="to"/>'s score (0 outside the model).</summary>
    public float Weight(int from, int to)
    {
        var n = _itemOfSlot.Length;
        var a = from < _slotOfItem.Length ? _slotOfItem[from] : -1;
        var b = to < _slotOfItem.Length ? _slotOfItem[to] : -1;
        return a >= 0 && b >= 0 ? _weights[(a * n) + b] : 0;
    }

    /// <summary>Σ_j w_j · B_j over <paramref name="history"/>; items outside the model score 0.</summary>
    public void Score(IReadOnlyList<(int Item, float Weight)> history, Span<float> scores)
    {
        var n = _itemOfSlot.Length;
        var acc = new float[n];
        foreach (var (i, w) in history)
        {
            var s = i < _slotOfItem.Length ? _slotOfItem[i] : -1;
            if (s >= 0)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(_weights.AsSpan(s * n, n), w, acc, acc);
            }
        }

        scores.Clear();
        for (var s = 0; s < n; s++)
        {
            scores[_itemOfSlot[s]] = acc[s];
        }
    }
}
