using Explainer.Core.Ranking;

namespace Explainer.Evaluation;

/// <summary>
/// Leave-one-out by time. For every user with at least <see cref="MinInteractions"/> interactions (taken in the order
/// <see cref="InteractionData.ByUser"/> gives them: oldest first, equal times broken by review id, so the split is
/// deterministic), the last interaction is the test item and the one before it the validation item; everything else
/// is training. Users with fewer interactions stay entirely in training and are not evaluated.
/// </summary>
public sealed class LeaveOneOutSplit
{
    /// <summary>Users need this many interactions to be evaluated (one train, one validation, one test).</summary>
    public const int MinInteractions = 3;

    private LeaveOneOutSplit(InteractionData all, InteractionData train, InteractionData trainAndValidation, int[] validation, int[] test)
    {
        All = all;
        Train = train;
        TrainAndValidation = trainAndValidation;
        ValidationItems = validation;
        TestItems = test;
        EvaluatedUsers = test.Count(i => i >= 0);
    }

    public InteractionData All { get; }

    /// <summary>What candidate configurations are fitted on during tuning.</summary>
    public InteractionData Train { get; }

    /// <summary>What the chosen configuration is refitted on before it is scored on the test items.</summary>
    public InteractionData TrainAndValidation { get; }

    /// <summary>Per user: the validation item index, or -1 for a user who is not evaluated.</summary>
    public IReadOnlyList<int> ValidationItems { get; }

    /// <summary>Per user: the test item index, or -1 for a user who is not evaluated.</summary>
    public IReadOnlyList<int> TestItems { get; }

    public int EvaluatedUsers { get; }

    public static LeaveOneOutSplit Create(InteractionData all)
    {
        var validation = new int[all.UserCount];
        var test = new int[all.UserCount];
        var heldOutValidation = new HashSet<Interaction>();
        var heldOutTest = new HashSet<Interaction>();
        for (var u = 0; u < all.UserCount; u++)
        {
            var list = all.ByUser[u];
            if (list.Length < MinInteractions)
            {
                validation[u] = test[u] = -1;
                continue;
            }

            test[u] = list[^1].Item;
            validation[u] = list[^2].Item;
            heldOutTest.Add(list[^1]);
            heldOutValidation.Add(list[^2]);
        }

        var trainAndValidation = all.Where(x => !heldOutTest.Contains(x));
        var train = trainAndValidation.Where(x => !heldOutValidation.Contains(x));
        return new LeaveOneOutSplit(all, train, trainAndValidation, validation, test);
    }
}
