using System.CommandLine;
using Explainer.Explaining;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer prompts</c>: prompt-tuning sessions over the versioned prompts in <c>prompts/</c>.</summary>
public sealed class PromptsCommand : Command
{
    public PromptsCommand()
        : base("prompts", "Prompt-tuning sessions: every prompt in prompts/ is versioned by content hash; run a version on a seeded sample, compare two, promote one.")
    {
        Subcommands.Add(new PromptsListCommand());
        Subcommands.Add(new PromptsShowCommand());
        Subcommands.Add(new PromptsRunCommand());
        Subcommands.Add(new PromptsCompareCommand());
        Subcommands.Add(new PromptsPromoteCommand());
    }

    public static Argument<string> NameArgument() => new("NAME") { Description = "The prompt's name (its folder under prompts/), e.g. Explain." };
}

/// <summary>Base of the prompts subcommands: an unknown prompt or version is a one-line error.</summary>
public abstract class PromptsSubcommand(string name, string description) : ExplainerCommand(name, description)
{
    protected override bool IsUserFacing(Exception ex) => ex is PromptException || base.IsUserFacing(ex);

    protected static string Short(string hash) => hash.Length > 8 ? hash[..8] : hash;
}
