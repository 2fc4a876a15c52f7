using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Explainer.Evaluation;

/// <summary>Test metrics of one model (means over evaluated users; coverage over the catalog).</summary>
public sealed record TestMetrics(
    double HitRate,
    double Ndcg,
    double Mrr,
    double Coverage,
    double Diversity,
    double LongTailShare,
    double Novelty);

/// <summary>One tuning candidate and its validation NDCG@k.</summary>
public sealed record CandidateResult(string Config, double ValidationNdcg, double FitSeconds);

/// <summary>One model family's outcome: the configuration chosen on validation and its test metrics.</summary>
public sealed record ModelResult(
    string Name,
    string ChosenConfig,
    double ValidationNdcg,
    TestMetrics Test,
    double FitSeconds,
    double TuningSeconds,
    IReadOnlyList<CandidateResult> Candidates);

/// <summary>The outcome of an evaluation run, as a plain-text table (<see cref="ToTable"/>) or JSON (<see cref="ToJson"/>).</summary>
public sealed record EvaluationReport(
    int Users,
    int Items,
    int Interactions,
    int EvaluatedUsers,
    int K,
    int Seed,
    string Protocol,
    string LongTailDefinition,
    double ElapsedSeconds,
    IReadOnlyList<ModelResult> Models)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static EvaluationReport? FromJson(string json) => JsonSerializer.Deserialize<EvaluationReport>(json, JsonOptions);

    /// <summary>The column headers of <see cref="Rows"/>.</summary>
    public IReadOnlyList<string> Headers =>
        ["Model", "Chosen config", $"Val NDCG@{K}", $"HR@{K}", $"NDCG@{K}", "MRR", "Coverage", "Diversity", "Long tail", "Novelty", "Fit s", "Tuning s"];

    /// <summary>One row per model, formatted (invariant culture), for any table renderer.</summary>
    public IEnumerable<string[]> Rows => Models.Select(m => new[]
    {
        m.Name, m.ChosenConfig, F(m.ValidationNdcg, 4), F(m.Test.HitRate, 4), F(m.Test.Ndcg, 4), F(m.Test.Mrr, 4),
        F(m.Test.Coverage, 3), F(m.Test.Diversity, 3), F(m.Test.LongTailShare, 3), F(m.Test.Novelty, 2),
        F(m.FitSeconds, 2), F(m.TuningSeconds, 1),
    });

    /// <summary>A fixed-width text table with a one-line summary above it.</summary>
    public string ToTable()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Protocol}; {Users:N0} users, {Items:N0} items, {Interactions:N0} interactions; {EvaluatedUsers:N0} users evaluated; k={K}, seed={Seed}; {ElapsedSeconds:F1} s").AppendLine();
        var rows = new List<string[]> { Headers.ToArray() };
        rows.AddRange(Rows);
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < widths.Length; c++)
            {
                var cell = rows[r][c];
                sb.Append(c < 2 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]));
                sb.Append(c < widths.Length - 1 ? "  " : string.Empty);
            }

            sb.AppendLine();
            if (r == 0)
            {
                sb.AppendLine(new string('-', widths.Sum() + (2 * (widths.Length - 1))));
            }
        }

        return sb.ToString();
    }

    private static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
