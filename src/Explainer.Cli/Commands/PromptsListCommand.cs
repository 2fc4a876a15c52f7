using System.CommandLine;
using Explainer.Explaining;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer prompts list</c>.</summary>
public sealed class PromptsListCommand : PromptsSubcommand
{
    public PromptsListCommand()
        : base("list", "The prompts, their stored versions and which one is active.")
    {
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var library = context.Get<PromptLibrary>();
        var versions = context.Get<PromptSessions>().Versions();
        var files = library.Files().ToDictionary(f => f.Name, StringComparer.Ordinal);
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Prompt", "Versions", "Active", "On disk", "Runs");
        foreach (var group in versions.GroupBy(v => v.Name))
        {
            var active = group.FirstOrDefault(v => v.Active);
            table.AddRow(
                Markup.Escape(group.Key),
                group.Count().ToString(),
                active is null ? "-" : Short(active.Hash),
                files.TryGetValue(group.Key, out var f) ? Short(f.Hash) : "[dim]gone[/]",
                context.Get<Core.Storage.IRecommenderStore>().PromptRuns(group.Key).Count.ToString());
        }

        context.Console.MarkupLine($"[dim]{Markup.Escape(library.Directory)}[/]");
        context.Console.Write(table);
        return Task.FromResult(ExitCodes.Ok);
    }
}
