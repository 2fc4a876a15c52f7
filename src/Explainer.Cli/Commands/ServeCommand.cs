using System.CommandLine;
using Explainer.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer serve [--urls http://127.0.0.1:5080]</c>: the HTTP API over the store.</summary>
public sealed class ServeCommand : ExplainerCommand
{
    private readonly Option<string> _urls = new("--urls")
    {
        Description = "Where to listen (semicolon-separated). Loopback by default; to listen on other interfaces, say so here and set Api:Key.",
        HelpName = "URLS",
        DefaultValueFactory = _ => ApiOptions.DefaultUrls,
    };

    public ServeCommand()
        : base("serve", "Serve the HTTP API (/v1, OpenAPI at /openapi/v1.json, reference page at /scalar/v1) and the prompt-tuning page (/tune) over the store.")
    {
        Options.Add(_urls);
        _urls.Validators.Add(r =>
        {
            foreach (var url in (r.Tokens.Count > 0 ? r.Tokens[^1].Value : "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    r.AddError($"--urls: '{url}' is not an http(s) URL.");
                }
            }
        });
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var urls = parseResult.GetValue(_urls)!;
        var store = context.OpenStore(create: false);
        await using var app = ExplainerApi.Build(context.Configuration, urls, _ => store, logging =>
        {
            logging.ClearProviders();
            logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        });

        if (!ExplainerApi.IsLoopbackOnly(urls) && string.IsNullOrEmpty(context.Configuration["Api:Key"]))
        {
            context.Error.MarkupLine("[yellow]warning:[/] listening beyond loopback without an API key (set Api:Key or EXPLAINER_Api__Key).");
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        // A second process refused the store can then say where this one answers.
        store.Lock?.Describe(string.Join(';', app.Urls));
        await app.WarmUpAsync(cancellationToken).ConfigureAwait(false);
        foreach (var url in app.Urls)
        {
            context.Error.MarkupLine($"Listening on [bold]{Markup.Escape(url)}[/]  (API reference: {Markup.Escape(url.TrimEnd('/'))}/scalar/v1, prompt tuning: {Markup.Escape(url.TrimEnd('/'))}/tune)");
        }

        try
        {
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
