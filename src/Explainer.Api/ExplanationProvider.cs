using Explainer.Api.Apis;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Explainer.Api;

/// <summary>
/// Explanations for a ranked list within the time budget. Generation runs apart from the request (one item after
/// another, so a slow engine is not swamped): what finishes after the budget is stored by the explanation service
/// and served on the next request, and comes back as <c>pending</c> on this one. When no explanation service is
/// registered, every item says <c>unavailable</c> (never invented text).
/// </summary>
public sealed class ExplanationProvider(IServiceProvider services, IOptions<ApiOptions> options, IHostApplicationLifetime lifetime, ILogger<ExplanationProvider> logger)
{
    private readonly IExplanationService? _service = services.GetService<IExplanationService>();

    public bool Available => _service is not null;

    public Task<ExplanationDto[]> ForUserAsync(string userId, IReadOnlyList<Recommendation> recommendations, CancellationToken cancellationToken) =>
        ExplainAsync(recommendations, (s, r, ct) => s.ExplainAsync(userId, r, ct), cancellationToken);

    public Task<ExplanationDto[]> ForQueryAsync(string query, IReadOnlyList<Recommendation> recommendations, CancellationToken cancellationToken) =>
        ExplainAsync(recommendations, (s, r, ct) => s.ExplainQueryAsync(query, r, ct), cancellationToken);

    private async Task<ExplanationDto[]> ExplainAsync(IReadOnlyList<Recommendation> recommendations, Func<IExplanationService, Recommendation, CancellationToken, Task<Explanation>> explain, CancellationToken cancellationToken)
    {
        var results = new ExplanationDto[recommendations.Count];
        if (_service is not { } service)
        {
            Array.Fill(results, new ExplanationDto(ExplanationDto.Unavailable, Detail: "No explanation service is configured in this build."));
            return results;
        }

        Array.Fill(results, new ExplanationDto(ExplanationDto.Pending, Detail: "Still being generated; ask again shortly."));
        var work = Task.Run(
            async () =>
            {
                for (var i = 0; i < recommendations.Count; i++)
                {
                    try
                    {
                        var e = await explain(service, recommendations[i], lifetime.ApplicationStopping).ConfigureAwait(false);
                        Volatile.Write(ref results[i], new ExplanationDto(ExplanationDto.Ready, e.Text, e.Engine, e.Verified, e.EvidenceIds));
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    catch (Exception ex)
                    {
                        logger.LogWarning(ex, "Explaining {Item} failed", recommendations[i].ItemId);
                        Volatile.Write(ref results[i], new ExplanationDto(ExplanationDto.Failed, Detail: "The explanation could not be generated."));
                    }
                }
            },
            CancellationToken.None);

        try
        {
            await work.WaitAsync(TimeSpan.FromMilliseconds(Math.Max(0, options.Value.ExplanationBudgetMs)), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The budget ran out: the rest stays pending and keeps generating in the background.
        }

        return [.. results.Select((_, i) => Volatile.Read(ref results[i]))];
    }
}
