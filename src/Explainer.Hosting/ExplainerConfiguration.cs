using Microsoft.Extensions.Configuration;

namespace Explainer.Hosting;

/// <summary>
/// Builds Explainer's configuration: <c>appsettings.json</c> beside the program, then environment variables
/// prefixed <c>EXPLAINER_</c> (<c>EXPLAINER_Llm__Backend=cpu</c> sets <c>Llm:Backend</c>), then command-line overrides.
/// </summary>
public static class ExplainerConfiguration
{
    public const string EnvironmentPrefix = "EXPLAINER_";

    public static IConfigurationRoot Build(IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables(EnvironmentPrefix);

        // EXPLAINER_DB (the documented short form) is the store path.
        var shortDb = Environment.GetEnvironmentVariable("EXPLAINER_DB");
        var extra = new List<KeyValuePair<string, string?>>();
        if (!string.IsNullOrWhiteSpace(shortDb))
        {
            extra.Add(new("Store:Path", shortDb));
        }

        extra.AddRange(overrides ?? []);
        return builder.AddInMemoryCollection(extra).Build();
    }
}
