using System.CommandLine;
using Explainer.Cli.Commands;
using Explainer.Hosting;
using Explainer.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Explainer.Cli;

/// <summary>What a command needs from its surroundings: configuration, logging, the console and the store.</summary>
public sealed class CliContext : IDisposable
{
    private ExplainerStore? _store;

    private CliContext(IConfigurationRoot configuration, ILoggerFactory loggerFactory, IAnsiConsole console)
    {
        Configuration = configuration;
        LoggerFactory = loggerFactory;
        Console = console;
    }

    public IConfigurationRoot Configuration { get; }

    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Standard output. Untrusted text (reviews, model output) must be escaped before it is marked up.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Standard error, for warnings and errors, so that stdout stays parseable (e.g. with --json).</summary>
    public required IAnsiConsole Error { get; init; }

    /// <summary>The console tests substitute; null means the real terminal.</summary>
    public static IAnsiConsole? ConsoleOverride { get; set; }

    /// <summary>The context of one command; <paramref name="overrides"/> are configuration keys its own options set (they win over files and environment).</summary>
    public static CliContext Create(ParseResult parseResult, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var settings = new List<KeyValuePair<string, string?>>(overrides ?? []);
        if (parseResult.GetValue(CommonOptions.Db) is { Length: > 0 } db)
        {
            settings.Add(new("Store:Path", db));
        }

        var configuration = ExplainerConfiguration.Build(settings);
        var verbose = parseResult.GetValue(CommonOptions.Verbose);
        var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b =>
        {
            b.AddConfiguration(configuration.GetSection("Logging"));
            b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });

            // Logs go to stderr so stdout stays clean for results (and --json).
            b.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            if (verbose)
            {
                b.AddFilter(null, LogLevel.Information);
            }
        });

        var console = ConsoleOverride ?? AnsiConsole.Console;
        return new CliContext(configuration, loggerFactory, console)
        {
            Error = ConsoleOverride ?? StandardError(),
        };
    }

    /// <summary>Standard error; not wrapped when redirected, so a message stays one line in a log (and greppable).</summary>
    public static IAnsiConsole StandardError()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
        if (System.Console.IsErrorRedirected)
        {
            console.Profile.Width = 4096;
        }

        return console;
    }

    /// <summary>The configured store path (before opening).</summary>
    public string StorePath => Configuration[$"{StoreOptions.Section}:Path"] is { Length: > 0 } p ? p : new StoreOptions().Path;

    /// <summary>Explainer's services over this command's configuration; the store opens as <see cref="OpenStore"/> with create = false.</summary>
    public IServiceProvider Services => _services ??= BuildServices();

    private ServiceProvider? _services;

    private ServiceProvider BuildServices()
    {
        var services = new ServiceCollection();
        services.AddSingleton(LoggerFactory);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddExplainer(Configuration, _ => OpenStore(create: false));
        return services.BuildServiceProvider();
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Opens the store once. Read-only commands pass <paramref name="create"/> = false so a typo in --db is an error, not a new empty file.</summary>
    public ExplainerStore OpenStore(bool create)
    {
        if (_store is null)
        {
            _store = ExplainerStore.Open(StorePath, create, Configuration.GetSection(StoreOptions.Section).Get<StoreOptions>());
            if (_store.MigratedFrom is { } from)
            {
                Error.MarkupLine($"[yellow]Migrated {Markup.Escape(_store.Path)} from store schema {from} to {ExplainerStore.SchemaVersion}: {Markup.Escape(ExplainerStore.MigrationSummary(from, _store.Path))}.[/]");
            }
        }

        return _store;
    }

    public void Dispose()
    {
        _services?.Dispose(); // disposes what it created: the encoder, and the store (whose Dispose is idempotent)
        _store?.Dispose();
        LoggerFactory.Dispose();
    }
}
