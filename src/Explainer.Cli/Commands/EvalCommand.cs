using System.CommandLine;
using Explainer.Cli.Console;
using Explainer.Core.Ranking;
using Explainer.Evaluation;
using Explainer.Evaluation.Baselines;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary>
/// <c>explainer eval</c>: the offline evaluation of the store's reviews (leave-one-out by time, tuned on validation)
/// for the baselines and any model families passed to the constructor (Explainer's own ranker).
/// </summary>
public sealed class EvalCommand : ExplainerCommand
{
    private readonly Option<int> _k = new("--k", "-k") { Description = "Cut-off of HR@k, NDCG@k, coverage, diversity, long tail and novelty.", DefaultValueFactory = _ => 10 };
    private readonly Option<bool> _json = new("--json") { Description = "Print the report as JSON." };
    private readonly Option<string?> _models = new("--models")
    {
        Description = "Comma-separated model families to run (default: all), e.g. random,popular,knn,ease,als. Matching ignores case and punctuation.",
        HelpName = "LIST",
    };

    private readonly Option<bool> _explanations = new("--explanations") { Description = "Evaluate the explanations instead: grounded precision, feature match, unique sentence ratio, length, latency over users' top-k recommendations." };
    private readonly Option<int> _users = new("--users") { Description = "With --explanations: how many users (a seeded sample; 0 = every user with a profile).", DefaultValueFactory = _ => 0, HelpName = "N" };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of every random choice (random baseline, ALS initialisation).", DefaultValueFactory = _ => 42 };
    private readonly IReadOnlyList<Func<CliContext, ModelFamily>> _extraFamilies;

    /// <param name="extraFamilies">Families evaluated after the baselines, built per run from the command's context.</param>
    public EvalCommand(params IReadOnlyList<Func<CliContext, ModelFamily>> extraFamilies)
        : base("eval", "Offline evaluation: leave-one-out by time, every model tuned on validation NDCG@k, test HR@k, NDCG@k, MRR, coverage, diversity, long tail, novelty.")
    {
        _extraFamilies = extraFamilies;
        Options.Add(_k);
        Options.Add(_json);
        Options.Add(_models);
        Options.Add(_seed);
        Options.Add(_explanations);
        Options.Add(_users);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var k = parseResult.GetValue(_k);
        if (k < 1)
        {
            context.Error.MarkupLine("[red]error:[/] --k must be at least 1.");
            return ExitCodes.Usage;
        }

        var seed = parseResult.GetValue(_seed);
        if (parseResult.GetValue(_explanations))
        {
            return await ExplanationsEval.RunAsync(context, parseResult.GetValue(_users), k, seed, parseResult.GetValue(_json), cancellationToken).ConfigureAwait(false);
        }

        var families = Baselines.All(seed).Concat(_extraFamilies.Select(f => f(context))).ToList();
        if (parseResult.GetValue(_models) is { Length: > 0 } list)
        {
            var wanted = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var unknown = wanted.Where(w => !families.Any(f => Matches(f.Name, w))).ToList();
            if (unknown.Count > 0)
            {
                context.Error.MarkupLine($"[red]error:[/] unknown model {Markup.Escape(string.Join(", ", unknown))}; available: {Markup.Escape(string.Join(", ", families.Select(f => f.Name)))}.");
                return ExitCodes.Usage;
            }

            families = [.. families.Where(f => wanted.Any(w => Matches(f.Name, w)))];
        }

        var store = context.OpenStore(create: false);
        var reviews = store.Reviews().ToList();
        if (reviews.Count == 0)
        {
            context.Error.MarkupLine("[red]error:[/] the store has no reviews; run [bold]explainer ingest[/] first.");
            return ExitCodes.Failed;
        }

        var data = InteractionData.FromReviews(reviews, store.Items().Select(i => i.Id));
        if (data.ByUser.All(l => l.Length < LeaveOneOutSplit.MinInteractions))
        {
            context.Error.MarkupLine($"[red]error:[/] no user has {LeaveOneOutSplit.MinInteractions} or more reviews, so there is nothing to evaluate.");
            return ExitCodes.Failed;
        }

        var json = parseResult.GetValue(_json);
        var options = new EvaluationOptions { K = k, Seed = seed };

        // With --json, stdout carries only the JSON: the progress goes to stderr.
        var report = await ProgressDisplay.RunAsync(json ? context.Error : context.Console, context.Error, "Evaluating", progress =>
            Evaluator.RunAsync(data, families, options, new ProgressAdapter(progress), cancellationToken)).ConfigureAwait(false);

        if (json)
        {
            context.Console.Profile.Out.Writer.WriteLine(report.ToJson());
            return ExitCodes.Ok;
        }

        // The table is about 130 columns wide: a narrower or redirected console gets the plain-text table, unwrapped.
        if (!context.Console.Profile.Capabilities.Interactive || context.Console.Profile.Width < 140)
        {
            context.Console.Profile.Out.Writer.Write(report.ToTable());
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Offline evaluation, k={report.K}, seed={report.Seed}")
            .Caption(Markup.Escape($"{report.Protocol}. {report.LongTailDefinition}. {report.Users:N0} users ({report.EvaluatedUsers:N0} evaluated), {report.Items:N0} items, {report.Interactions:N0} interactions; {report.ElapsedSeconds:F1} s."));
        foreach (var (header, column) in report.Headers.Select((h, i) => (h, i)))
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)) { Alignment = column < 2 ? Justify.Left : Justify.Right });
        }

        foreach (var row in report.Rows)
        {
            table.AddRow([.. row.Select(Markup.Escape)]);
        }

        context.Console.Write(table);
        return ExitCodes.Ok;
    }

    /// <summary>"ease" matches "EASE^R", "knn" matches "Item-kNN", "popular" matches "Most popular": letters and digits, ignoring case.</summary>
    internal static bool Matches(string familyName, string wanted)
    {
        static string Key(string s) => new([.. s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
        var key = Key(wanted);
        return key.Length > 0 && Key(familyName).Contains(key, StringComparison.Ordinal);
    }

    private sealed class ProgressAdapter(IProgress<ProgressUpdate> inner) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => inner.Report(new ProgressUpdate(value.Description, value.Done, value.Total, "fits"));
    }
}
