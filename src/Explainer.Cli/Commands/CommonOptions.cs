using System.CommandLine;

namespace Explainer.Cli.Commands;

/// <summary>Options every command understands.</summary>
public static class CommonOptions
{
    public static readonly Option<string?> Db = new("--db")
    {
        Description = "The store file (default: explainer.db, or EXPLAINER_DB, or Store:Path in appsettings.json).",
        Recursive = true,
        HelpName = "FILE",
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log what happens (information level) to stderr.",
        Recursive = true,
    };
}
