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

        // EXPLAINER_DB (the documented short form) is the store path; an override (--db) wins over it. Keys compare
        // without case, as configuration does, and a later value replaces an earlier one.
        var extra = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (Environment.GetEnvironmentVariable("EXPLAINER_DB") is { Length: > 0 } shortDb && !string.IsNullOrWhiteSpace(shortDb))
        {
            extra["Store:Path"] = shortDb;
        }

        foreach (var (key, value) in overrides ?? [])
        {
            extra[key] = value;
        }

        return builder.AddInMemoryCollection(extra).Build();
    }
}
