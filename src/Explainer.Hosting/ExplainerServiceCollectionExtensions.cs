using Explainer.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Explainer.Hosting;

/// <summary>The one registration of Explainer's services, shared by the CLI and the HTTP API.</summary>
public static class ExplainerServiceCollectionExtensions
{
    public static IServiceCollection AddExplainer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration);
        services.AddOptions<StoreOptions>().Bind(configuration.GetSection(StoreOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), "Store:Path (or --db / EXPLAINER_DB) must name a file.");

        // One LiteDatabase per process; opened on first use so that `--help` never touches the disk.
        services.AddSingleton(sp => ExplainerStore.Open(sp.GetRequiredService<IOptions<StoreOptions>>().Value.Path));
        return services;
    }
}
