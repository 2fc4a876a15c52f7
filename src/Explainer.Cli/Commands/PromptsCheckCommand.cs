using System.CommandLine;
using Explainer.Explaining;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary>
/// <c>explainer prompts check [NAME]</c>: the checks the /tune editor runs before saving, on the files in prompts/ (an
/// edited file becomes the active version as soon as a command reads it, so check it first).
/// </summary>
public sealed class PromptsCheckCommand : PromptsSubcommand
{
    private readonly Argument<string?> _name = new("NAME") { Description = "One prompt (default: all of them).", Arity = ArgumentArity.ZeroOrOne };

    public PromptsCheckCommand()
        : base("check", "Check the prompt files in prompts/ as the /tune editor does: Semantic Kernel's template errors, unknown or missing input variables, config.json; exit 1 on an error.")
    {
        Arguments.Add(_name);
    }

    /// <summary>Reads only the files (no store is opened, so it runs while `serve` holds the store).</summary>
    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var directory = PromptLibrary.Locate(context.Configuration[$"{ExplainOptions.Section}:{nameof(ExplainOptions.PromptsPath)}"]);
        var names = parseResult.GetValue(_name) is { } one ? [one] : PromptLibrary.FileNames(directory);
        if (names.Count == 0)
        {
            throw new PromptException($"No prompts in {directory} (no folder with a skprompt.txt).", missing: true);
        }

        var errors = 0;
        foreach (var name in names)
        {
            var dir = Path.Combine(directory, name);
            if (!File.Exists(Path.Combine(dir, "skprompt.txt")))
            {
                throw new PromptException($"No prompt '{name}' in {directory} (no {name}/skprompt.txt).", missing: true);
            }

            var config = Path.Combine(dir, "config.json");
            var problems = await PromptValidator.ValidateAsync(name, await File.ReadAllTextAsync(Path.Combine(dir, "skprompt.txt"), cancellationToken).ConfigureAwait(false), File.Exists(config) ? await File.ReadAllTextAsync(config, cancellationToken).ConfigureAwait(false) : string.Empty, cancellationToken).ConfigureAwait(false);
            errors += problems.Count(p => p.Severity == PromptProblem.Error);
            context.Console.MarkupLine(problems.Count == 0 ? $"{Markup.Escape(name)}: [green]ok[/]" : $"{Markup.Escape(name)}: {problems.Count} problem(s)");
            foreach (var p in problems)
            {
                var where = Path.Combine(name, p.File) + (p.Line is { } l ? $":{l}" + (p.Column is { } c ? $":{c}" : "") : "");
                context.Console.Profile.Out.Writer.WriteLine($"  {where}: {p.Severity}: {p.Message}");
            }
        }

        return errors == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
