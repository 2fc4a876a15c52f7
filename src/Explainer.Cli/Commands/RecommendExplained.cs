using System.Globalization;
using System.Text.Json;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>recommend --explain</c>: each item with its explanation under it (or as a JSON field).</summary>
internal static class RecommendExplained
{
    public static async Task<int> WriteAsync(CliContext context, string? user, string? query, IReadOnlyList<(Recommendation Recommendation, Item? Item)> rows, bool json, CancellationToken cancellationToken)
    {
        var explainer = context.Get<IExplanationService>();
        if (json)
        {
            var list = new List<object>();
            foreach (var (r, item) in rows)
            {
                var e = user is not null
                    ? await explainer.ExplainAsync(user, r, cancellationToken).ConfigureAwait(false)
                    : await explainer.ExplainQueryAsync(query!, r, cancellationToken).ConfigureAwait(false);
                list.Add(new
                {
                    rank = r.Rank,
                    itemId = r.ItemId,
                    title = item?.Title,
                    category = item?.LeafCategory,
                    price = item?.Price,
                    score = r.Score,
                    matchedKeywords = r.MatchedKeywords.Select(m => new { keyword = m.Keyword, similarity = m.Similarity, contribution = m.Contribution }),
                    explanation = new { text = e.Text, engine = e.Engine, verified = e.Verified, evidenceIds = e.EvidenceIds, promptVersion = e.PromptVersion, model = e.Model },
                });
            }

            context.Console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(list, JsonOptions));
            return ExitCodes.Ok;
        }

        foreach (var (r, item) in rows)
        {
            var price = item?.Price is { } p ? ", $" + p.ToString("0.00", CultureInfo.InvariantCulture) : string.Empty;
            context.Console.MarkupLine($"[bold]{r.Rank}. {Markup.Escape(item?.Title ?? r.ItemId)}[/] [dim]({Markup.Escape(item?.LeafCategory ?? "item")}{price}; score {r.Score.ToString("0.00", CultureInfo.InvariantCulture)})[/]");
            context.Console.Write("   ");
            Explanation? final = null;
            var streamed = new System.Text.StringBuilder();
            if (user is not null)
            {
                await foreach (var chunk in explainer.ExplainStreamingAsync(user, r, cancellationToken).ConfigureAwait(false))
                {
                    if (chunk.Final is not null)
                    {
                        final = chunk.Final;
                    }
                    else if (chunk.Text.Length > 0)
                    {
                        streamed.Append(chunk.Text);
                        context.Console.Write(new Text(chunk.Text.Replace("\n", "\n   ", StringComparison.Ordinal)));
                    }
                    else
                    {
                        // a cached record arrives as one chunk carrying both
                    }
                }
            }
            else
            {
                final = await explainer.ExplainQueryAsync(query!, r, cancellationToken).ConfigureAwait(false);
            }

            if (final is not null && !streamed.ToString().EndsWith(final.Text, StringComparison.Ordinal))
            {
                context.Console.Write(new Text(final.Text));
            }

            context.Console.WriteLine();
            if (final is not null && final.Engine != "extractive")
            {
                context.Console.MarkupLine($"   [dim]{Markup.Escape(final.Engine)}{(final.Verified ? ", verified" : ", not verified")}[/]");
            }
        }

        return ExitCodes.Ok;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
