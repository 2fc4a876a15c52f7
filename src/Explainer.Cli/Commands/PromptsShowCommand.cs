using System.CommandLine;
using System.Globalization;
using Explainer.Explaining;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer prompts show NAME [--version V]</c>.</summary>
public sealed class PromptsShowCommand : PromptsSubcommand
{
    private readonly Argument<string> _name = PromptsCommand.NameArgument();
    private readonly Option<string?> _version = new("--version") { Description = "A version (hash prefix); default: the active one.", HelpName = "V" };

    public PromptsShowCommand()
        : base("show", "A prompt's versions (with their runs' metrics) and the template and settings of one version.")
    {
        Arguments.Add(_name);
        Options.Add(_version);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name)!;
        var library = context.Get<PromptLibrary>();
        var sessions = context.Get<PromptSessions>();
        var versions = sessions.Versions(name);
        if (versions.Count == 0)
        {
            throw new PromptException($"No prompt '{name}'. See `explainer prompts list`.");
        }

        var shown = parseResult.GetValue(_version) is { } v ? library.Find(name, v) : versions.FirstOrDefault(x => x.Active) ?? versions[^1];
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Version", "Active", "First seen", "Runs", "Grounded", "Feature", "Unique", "Verified");
        var store = context.Get<Core.Storage.IRecommenderStore>();
        foreach (var version in versions)
        {
            var run = sessions.LatestRun(name, version.Hash);
            var m = run is null ? null : PromptSessions.Metrics(run);
            table.AddRow(
                Short(version.Hash),
                version.Active ? "[green]yes[/]" : "",
                version.FirstSeen.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                store.PromptRuns(name).Count(r => r.Hash == version.Hash).ToString(),
                m is null ? "" : m.GroundedPrecision.ToString("0.000", CultureInfo.InvariantCulture),
                m is null ? "" : m.FeatureMatch.ToString("0.000", CultureInfo.InvariantCulture),
                m is null ? "" : m.UniqueSentenceRatio.ToString("0.000", CultureInfo.InvariantCulture),
                m is null ? "" : m.VerifiedShare.ToString("0.000", CultureInfo.InvariantCulture));
        }

        context.Console.Write(table);
        context.Console.MarkupLine($"[bold]{Markup.Escape(name)} {Short(shown.Hash)}[/]{(shown.Active ? " (active)" : "")}");
        context.Console.Write(new Panel(new Text(shown.Template)).Header("skprompt.txt").Expand());
        context.Console.Write(new Panel(new Text(shown.Config)).Header("config.json").Expand());
        return Task.FromResult(ExitCodes.Ok);
    }
}
