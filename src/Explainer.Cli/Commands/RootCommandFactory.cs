using System.CommandLine;

namespace Explainer.Cli.Commands;

/// <summary>Builds the `explainer` command tree. Each command is a class of its own in this folder.</summary>
public static class RootCommandFactory
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Explainer: a recommender that explains itself. Ingest reviews, enrich, recommend, explain.");
        root.Options.Add(CommonOptions.Db);
        root.Options.Add(CommonOptions.Verbose);

        // One line per command.
        root.Subcommands.Add(new IngestCommand());
        root.Subcommands.Add(new StatsCommand());
        root.Subcommands.Add(new EnrichCommand());
        root.Subcommands.Add(new IndexCommand());
        root.Subcommands.Add(new RecommendCommand());
        root.Subcommands.Add(new FeedbackCommand());
        root.Subcommands.Add(new ProfileCommand());
        root.Subcommands.Add(new PromptsCommand());
        root.Subcommands.Add(new BenchCommand());
        root.Subcommands.Add(new LlmCommand());
        root.Subcommands.Add(new EmbedCommand());
        root.Subcommands.Add(new ModelsCommand());
        root.Subcommands.Add(new EvalCommand(ExplainerEvalFamily.Create));
        root.Subcommands.Add(new ServeCommand());
        root.Subcommands.Add(new ChatCommand());
        return root;
    }
}
