using System.CommandLine;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer ingest</c>: load a public review dataset into the store.</summary>
public sealed class IngestCommand : Command
{
    public IngestCommand()
        : base("ingest", "Load review data into the store. Re-running with the same files changes nothing; a file that cannot be read leaves the store as it was.")
    {
        Subcommands.Add(new IngestAmazonCommand());
        Subcommands.Add(new IngestMovieLensCommand());
        Subcommands.Add(new IngestReviewsCommand());
    }

    /// <summary>Shared by the ingest subcommands.</summary>
    public static readonly Option<bool> Strict = new("--strict")
    {
        Description = "Fail (and import nothing) at the first malformed row instead of skipping it.",
    };
}
