using Explainer.Api.Apis;
using Explainer.Api.Tuning;
using Explainer.Core.Recommending;
using Explainer.Hosting;
using Explainer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scalar.AspNetCore;

namespace Explainer.Api;

/// <summary>Builds and maps Explainer's HTTP API; <c>explainer serve</c> and the tests host the same app.</summary>
public static class ExplainerApi
{
    /// <summary>
    /// A web app over Explainer's services, listening on <paramref name="urls"/> (loopback unless told otherwise).
    /// <paramref name="openStore"/> decides how the store is opened (the CLI: an existing file only).
    /// </summary>
    public static WebApplication Build(
        IConfiguration configuration,
        string urls,
        Func<IServiceProvider, ExplainerStore>? openStore = null,
        Action<ILoggingBuilder>? logging = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls(urls);
        var options = configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        });
        logging?.Invoke(builder.Logging);
        builder.Services.AddHostFiltering(o => o.AllowedHosts = AllowedHosts(builder.Configuration, urls));
        builder.Services.AddExplainerApi(builder.Configuration, openStore);
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapExplainerApi();
        return app;
    }

    public static IServiceCollection AddExplainerApi(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, ExplainerStore>? openStore = null)
    {
        services.AddExplainer(configuration, openStore);
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section))
            .Validate(o => o.ExplanationBudgetMs >= 0, "Api:ExplanationBudgetMs must be 0 or more.")
            .Validate(o => o.MaxQueryLength > 0, "Api:MaxQueryLength must be positive.");
        services.AddSingleton<ExplanationScheduler>();
        services.AddSingleton<PromptRunJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<PromptRunJobs>()); // stops (and waits for) a running job before the store closes
        services.AddProblemDetails();

        // Unbindable values (k=abc, malformed JSON) become problem details naming the field, not a bare 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestProblems>();
        services.AddExceptionHandler<StoreProblems>();
        services.AddOpenApi();
        return services;
    }

    public static WebApplication MapExplainerApi(this WebApplication app)
    {
        app.UseHostFiltering();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapGet("/health", (ExplanationScheduler explanations) => TypedResults.Ok(new HealthResponse("ok", explanations.Available)))
            .WithName("Health")
            .WithSummary("Liveness, and whether explanations are available.");

        var v1 = app.MapGroup("/v1").AddEndpointFilter<ApiKeyFilter>().WithTags("v1");
        v1.MapRecommendationsApi();
        v1.MapUsersApi();
        v1.MapItemsApi();
        v1.MapPromptsApi();
        app.MapTunePage();
        return app;
    }

    /// <summary>
    /// The Host headers served (<c>AllowedHosts</c>, ';'-separated, as in any ASP.NET Core app). By default, a server that
    /// listens on loopback only answers loopback names, so a web page whose DNS name is rebound to 127.0.0.1 cannot use
    /// it (its requests carry its own host name): the write endpoints need no key on loopback.
    /// </summary>
    public static List<string> AllowedHosts(IConfiguration configuration, string urls)
    {
        if (configuration["AllowedHosts"] is { Length: > 0 } configured)
        {
            return [.. configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return IsLoopbackOnly(urls) ? ["localhost", "127.0.0.1", "[::1]"] : ["*"];
    }

    /// <summary>Every URL listens on a loopback address (a wildcard host such as <c>http://+:80</c> does not).</summary>
    public static bool IsLoopbackOnly(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(u =>
            Uri.TryCreate(u.Replace("://+", "://any", StringComparison.Ordinal).Replace("://*", "://any", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            && (uri.IsLoopback || uri.Host == "localhost"));

    /// <summary>Loads the ranking index before the first request (else the first caller pays for it).</summary>
    public static async Task WarmUpAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        try
        {
            await app.Services.GetRequiredService<RecommendationService>().WarmUpAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RecommendationException ex)
        {
            app.Logger.LogWarning("The store is not ready for recommendations: {Reason}", ex.Message);
        }
    }
}
