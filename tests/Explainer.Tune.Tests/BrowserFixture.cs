using Microsoft.Playwright;

namespace Explainer.Tune.Tests;

/// <summary>
/// Debian's chromium (<c>/usr/bin/chromium</c>) driven by Playwright, and the enriched real store the sessions copy.
/// Playwright cannot download its own browsers here, so a missing chromium fails the tests with the command that
/// installs it; they are never skipped.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly TempDir _dir = new();
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The real MI data ingested, enriched (extractive) and indexed; copy it before use.</summary>
    public string StorePath => _dir.File("amazon.db");

    /// <summary>Where screenshots go: the test output folder, not the repository.</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: install Debian's chromium (`apt-get install -y chromium`; .ci/run does it). Playwright cannot download its own browser here.");
        }

        Directory.CreateDirectory(Screenshots);
        await RealStore.BuildAsync(StorePath);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    internal string CopyStore(TempDir dir)
    {
        var path = dir.File("tune.db");
        File.Copy(StorePath, path);
        return path;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
