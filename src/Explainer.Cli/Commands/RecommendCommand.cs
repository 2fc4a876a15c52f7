using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Explainer.Core.Domain;
using Explainer.Core.Recommending;
using Explainer.Api.Apis;
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
    private readonly Option<bool> _explain = new("--explain") { Description = "Say why each item is recommended (served from the store when already written; each shown once verified)." };

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
        var request = new RecommendationRequest
        {
            UserId = parseResult.GetValue(_user),
            Query = parseResult.GetValue(_query),
            K = parseResult.GetValue(_k),
            Diversity = parseResult.GetValue(_diversity),
        };
        var result = await service.RecommendAsync(request, cancellationToken).ConfigureAwait(false);
        if (parseResult.GetValue(_explain))
        {
            return await RecommendExplained.WriteAsync(context, result, parseResult.GetValue(_json), cancellationToken).ConfigureAwait(false);
        }

        if (parseResult.GetValue(_json))
        {
            context.Console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(RecommendationJson.From(result), JsonOptions));
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("#", "Item", "Category", "Price", "Score", "Why");
        foreach (var x in result.Items)
        {
            var r = x.Recommendation;
            table.AddRow(
                r.Rank.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(x.Item.Title ?? x.Item.Id),
                Markup.Escape(x.Item.LeafCategory ?? ""),
                x.Item.Price is { } p ? "$" + p.ToString("0.00", CultureInfo.InvariantCulture) : "",
                r.Score.ToString("0.00", CultureInfo.InvariantCulture),
                Markup.Escape(ReasonText.Short(x, result)));
        }

        context.Console.Write(table);
        ReasonText.WriteMatching(context.Console, result);
        return ExitCodes.Ok;
    }

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private static JsonSerializerOptions JsonOptions => Json;
}
