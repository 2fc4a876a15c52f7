using Microsoft.Extensions.Configuration;

namespace Explainer.Api.Tests;

/// <summary>
/// One store built from ../shared/data/amazon-musical-instruments (import, extractive enrichment, index) for the
/// whole test run; each test class works on its own copy of the file.
/// </summary>
public sealed class RealStoreFixture : IAsyncLifetime
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "explainer-api-tests", Guid.NewGuid().ToString("N"));

    public string StorePath => Path.Combine(Dir, "amazon.db");

    /// <summary>A user of the real data with a long review history.</summary>
    public const string User = "A2IBPI20UZIR0U";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Dir);
        await RealStore.BuildAsync(StorePath);
    }

    /// <summary>A private copy of the enriched store, with its serving snapshot beside it (as `explainer index` left them).</summary>
    public string Copy(string name)
    {
        var path = Path.Combine(Dir, name);
        File.Copy(StorePath, path, overwrite: true);
        File.Copy(StorePath + ".serving", path + ".serving", overwrite: true);
        return path;
    }

    public static IConfiguration Configuration(string storePath, params (string Key, string Value)[] more) =>
        new ConfigurationBuilder().AddInMemoryCollection(
            [new("Store:Path", storePath), new("Logging:LogLevel:Default", "Warning"), .. more.Select(m => new KeyValuePair<string, string?>(m.Key, m.Value))]).Build();

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still mapped; the OS temp cleaner gets it.
        }

        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class RealStoreCollection : ICollectionFixture<RealStoreFixture>
{
    public const string Name = "real store";
}
