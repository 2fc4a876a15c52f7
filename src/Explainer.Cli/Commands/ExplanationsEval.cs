using System.Globalization;
using System.Text.Json;
using Explainer.Cli.Console;
using Explainer.Explaining;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer eval --explanations</c>: explanation quality over a seeded sample of users' top-k recommendations.</summary>
internal static class ExplanationsEval
{
    public static async Task<int> RunAsync(CliContext context, int users, int k, int seed, bool json, CancellationToken cancellationToken)
    {
        var evaluator = context.Get<ExplanationEvaluator>();
        var total = evaluator.SampleUsers(users, seed).Count;
        var evaluation = await ProgressDisplay.RunAsync(json ? context.Error : context.Console, context.Error, "Explaining", progress =>
            evaluator.RunAsync(users, k, seed, version: null, new Adapter(progress, total), cancellationToken)).ConfigureAwait(false);
        var m = evaluation.Metrics;
        if (json)
        {
            context.Console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(new
            {
                engine = evaluation.Engine,
                users = m.Users,
                k,
                seed,
                explanations = m.Explanations,
                groundedPrecision = m.GroundedPrecision,
                featureMatch = m.FeatureMatch,
                uniqueSentenceRatio = m.UniqueSentenceRatio,
                meanWords = m.MeanWords,
                meanLatencyMs = m.MeanLatencyMs,
                verified = m.VerifiedShare,
                fallbacks = m.Fallbacks,
                elapsedSeconds = evaluation.ElapsedSeconds,
            }, JsonOptions));
            return ExitCodes.Ok;
        }

        var text = string.Join('\n', [
            $"Explanations ({evaluation.Engine}): {m.Users:N0} users x top {k} = {m.Explanations:N0} explanations, seed {seed}, {evaluation.ElapsedSeconds:F1} s",
            "",
            "| Metric | Value |",
            "|---|---:|",
            $"| Grounded precision | {F(m.GroundedPrecision)} |",
            $"| Feature match | {F(m.FeatureMatch)} |",
            $"| Unique sentence ratio | {F(m.UniqueSentenceRatio)} |",
            $"| Mean length (words) | {m.MeanWords.ToString("0.0", CultureInfo.InvariantCulture)} |",
            $"| Latency per explanation (ms) | {m.MeanLatencyMs.ToString("0.00", CultureInfo.InvariantCulture)} |",
            $"| Verified | {F(m.VerifiedShare)} |",
            $"| Fallbacks to extractive | {m.Fallbacks} |",
            "",
        ]);
        context.Console.Profile.Out.Writer.Write(text);
        return ExitCodes.Ok;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private static string F(double x) => x.ToString("0.000", CultureInfo.InvariantCulture);

    private sealed class Adapter(IProgress<ProgressUpdate> inner, int total) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => inner.Report(new ProgressUpdate("Explaining", value.Done, total, "users"));
    }
}
