using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Explainer.Core.Domain;
using Explainer.Core.Recommending;
using Explainer.Core.Storage;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer recommend --user ID | --query TEXT</c>.</summary>
public sealed class RecommendCommand : ExplainerCommand
{
    private readonly Option<string?> _user = new("--user") { Description = "Recommend for this user (from their interest profile and history).", HelpName = "ID" };
    private readonly Option<string?> _query = new("--query") { Description = "Recommend for free text, with no history (cold start).", HelpName = "TEXT" };
    private readonly Option<int> _k = new("-k", "--k") { Description = $"How many items (1–{RecommendationService.MaxK}).", DefaultValueFactory = _ => 10 };
    private readonly Option<double> _diversity = new("--diversity") { Description = "MMR diversity λ in [0, 1]: 0 = pure relevance.", DefaultValueFactory = _ => 0 };
    private readonly Option<bool> _json = new("--json") { Description = "Print JSON." };
    private readonly Option<bool> _explain = new("--explain") { Description = "Say why each item is recommended (served from the store when already written; streamed when generated)." };

    public RecommendCommand()
        : base("recommend", "Rank unseen items for a user or a free-text query, with the keywords each item matched.")
    {
        Options.Add(_user);
        Options.Add(_query);
        Options.Add(_k);
        Options.Add(_diversity);
        Options.Add(_json);
        Options.Add(_explain);
        Validators.Add(r =>
        {
            if ((r.GetValue(_user) is null) == (r.GetValue(_query) is null))
            {
                r.AddError("Give --user ID or --query TEXT (one of them).");
            }
        });
        _k.WithRange(1, RecommendationService.MaxK);
        _diversity.WithRange(0, 1);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var service = context.Get<RecommendationService>();
        var store = context.Get<IRecommenderStore>();
        var k = parseResult.GetValue(_k);
        var diversity = parseResult.GetValue(_diversity);
        var recommendations = parseResult.GetValue(_user) is { } user
            ? await service.ForUserAsync(user, k, diversity, cancellationToken).ConfigureAwait(false)
            : await service.ForQueryAsync(parseResult.GetValue(_query)!, k, diversity, null, cancellationToken).ConfigureAwait(false);

        var rows = recommendations.Select(r => (Recommendation: r, Item: store.FindItem(r.ItemId))).ToList();
        if (parseResult.GetValue(_explain))
        {
            return await RecommendExplained.WriteAsync(context, parseResult.GetValue(_user), parseResult.GetValue(_query), rows, parseResult.GetValue(_json), cancellationToken).ConfigureAwait(false);
        }

        if (parseResult.GetValue(_json))
        {
            var json = rows.Select(x => new
            {
                rank = x.Recommendation.Rank,
                itemId = x.Recommendation.ItemId,
                title = x.Item?.Title,
                category = x.Item?.LeafCategory,
                price = x.Item?.Price,
                score = x.Recommendation.Score,
                matchedKeywords = x.Recommendation.MatchedKeywords.Select(m => new { keyword = m.Keyword, similarity = m.Similarity, contribution = m.Contribution }),
                parts = x.Recommendation.Parts,
            });
            context.Console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(json, JsonOptions));
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("#", "Item", "Category", "Price", "Score", "Matched keywords");
        foreach (var (r, item) in rows)
        {
            table.AddRow(
                r.Rank.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(item?.Title ?? r.ItemId),
                Markup.Escape(item?.LeafCategory ?? ""),
                item?.Price is { } p ? "$" + p.ToString("0.00", CultureInfo.InvariantCulture) : "",
                r.Score.ToString("0.00", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", r.MatchedKeywords.Select(m => m.Keyword))));
        }

        context.Console.Write(table);
        return ExitCodes.Ok;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
