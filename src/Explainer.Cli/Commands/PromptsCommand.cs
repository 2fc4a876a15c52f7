using System.CommandLine;
using Explainer.Explaining;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer prompts</c>: prompt-tuning sessions over the versioned prompts in <c>prompts/</c>.</summary>
public sealed class PromptsCommand : Command
{
    public PromptsCommand()
        : base("prompts", "Prompt-tuning sessions: every prompt in prompts/ is versioned by content hash; run a version on a seeded sample, compare it with the active one, promote or roll back. The same sessions run in the browser at /tune (explainer serve).")
    {
        Subcommands.Add(new PromptsListCommand());
        Subcommands.Add(new PromptsShowCommand());
        Subcommands.Add(new PromptsRunCommand());
        Subcommands.Add(new PromptsCompareCommand());
        Subcommands.Add(new PromptsPromoteCommand());
        Subcommands.Add(new PromptsRollbackCommand());
        Subcommands.Add(new PromptsHistoryCommand());
        Subcommands.Add(new PromptsCheckCommand());
    }

    /// <summary>Why the active label moves; required, as the history is only useful with it.</summary>
    public static Option<string> NoteOption() => new("--note") { Description = "Why (kept in the history).", Required = true, HelpName = "WHY" };

    public static Option<string> ByOption() => new("--by") { Description = "Who (default: the login name).", DefaultValueFactory = _ => Environment.UserName, HelpName = "WHO" };

    public static Argument<string> NameArgument() => new("NAME") { Description = "The prompt's name (its folder under prompts/), e.g. Explain." };
}

/// <summary>Base of the prompts subcommands: an unknown prompt or version is a one-line error.</summary>
public abstract class PromptsSubcommand(string name, string description) : ExplainerCommand(name, description)
{
    protected override bool IsUserFacing(Exception ex) => ex is PromptException || base.IsUserFacing(ex);

    protected static string Short(string hash) => hash.Length > 8 ? hash[..8] : hash;
}
