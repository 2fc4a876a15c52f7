using System.Globalization;
using System.Text.Json;
using Explainer.Api.Apis;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Explainer.Core.Recommending;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>recommend --explain</c>: each item with its explanation under it (or the API's JSON shape with an explanation per item).</summary>
internal static class RecommendExplained
{
    public static async Task<int> WriteAsync(CliContext context, RecommendationResult result, bool json, CancellationToken cancellationToken)
    {
        var explainer = context.Get<IExplanationService>();
        if (json)
        {
            var explanations = await explainer.ExplainAllAsync(result, cancellationToken).ConfigureAwait(false);
            context.Console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(RecommendationJson.From(result, [.. explanations.Select(ExplanationDto.Of)]), RecommendCommand.Json));
            return ExitCodes.Ok;
        }

        for (var i = 0; i < result.Items.Count; i++)
        {
            var (r, item) = (result.Items[i].Recommendation, result.Items[i].Item);
            var price = item.Price is { } p ? ", $" + p.ToString("0.00", CultureInfo.InvariantCulture) : string.Empty;
            context.Console.MarkupLine($"[bold]{r.Rank}. {Markup.Escape(item.Title ?? item.Id)}[/] [dim]({Markup.Escape(item.LeafCategory ?? "item")}{price}; score {r.Score.ToString("0.00", CultureInfo.InvariantCulture)})[/]");
            context.Console.Write("   ");
            var final = await explainer.ExplainAsync(result, i, cancellationToken).ConfigureAwait(false);
            context.Console.Write(new Text(final.Text.Replace("\n", "\n   ", StringComparison.Ordinal)));
            context.Console.WriteLine();
            if (final.Engine != Extractive.ExtractiveExplainer.Engine)
            {
                context.Console.MarkupLine($"   [dim]{Markup.Escape(final.Engine)}{(final.Verified ? ", verified" : ", not verified")}[/]");
            }
        }

        ReasonText.WriteMatching(context.Console, result);
        return ExitCodes.Ok;
    }
}
