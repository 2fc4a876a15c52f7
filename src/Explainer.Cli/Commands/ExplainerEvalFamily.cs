using Explainer.Core.Enrichment;
using Explainer.Core.Ranking;
using Explainer.Evaluation;

namespace Explainer.Cli.Commands;

/// <summary>Explainer's own ranker as an evaluation family: one candidate per weight setting of <see cref="HybridRankerModelSource.Grid"/>.</summary>
internal static class ExplainerEvalFamily
{
    public static ModelFamily Create(CliContext context)
    {
        var store = context.OpenStore(create: false);
        var options = context.Get<RankingOptions>();
        var source = new HybridRankerModelSource([.. store.Reviews()], [.. store.Items()], context.Get<IKeywordExtractor>(), context.Get<PhraseVectors>(),
            (train, side) => Core.Ranking.Collaborative.CollaborativeModelChoice.For(train, options, side).Ease, // what serving would fit

            options.HistoryHalfLife);
        return new ModelFamily("Explainer", [.. HybridRankerModelSource.Grid().Select(o => new ModelCandidate(o.ToString(), () => new HybridRankerModel(source, o)))]);
    }
}
