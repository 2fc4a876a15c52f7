using System.CommandLine;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer ingest movielens --dir D</c> (or the files one by one).</summary>
public sealed class IngestMovieLensCommand : ExplainerCommand
{
    private readonly Option<DirectoryInfo?> _dir = new("--dir")
    {
        Description = "A MovieLens folder holding ratings.csv, movies.csv and (optionally) tags.csv.",
        HelpName = "DIR",
    };

    private readonly Option<FileInfo?> _ratings = new("--ratings") { Description = "ratings.csv (userId, movieId, rating, timestamp).", HelpName = "FILE" };
    private readonly Option<FileInfo?> _movies = new("--movies") { Description = "movies.csv (movieId, title, genres).", HelpName = "FILE" };
    private readonly Option<FileInfo?> _tags = new("--tags") { Description = "tags.csv (userId, movieId, tag, timestamp).", HelpName = "FILE" };

    public IngestMovieLensCommand()
        : base("movielens", "Import MovieLens ratings, movies (genres become attributes) and tags (become attributes). Header rows are optional.")
    {
        Options.Add(_dir);
        Options.Add(_ratings);
        Options.Add(_movies);
        Options.Add(_tags);
        Options.Add(IngestCommand.Strict);
        Validators.Add(r =>
        {
            if (r.GetValue(_dir) is null && r.GetValue(_ratings) is null && r.GetValue(_movies) is null && r.GetValue(_tags) is null)
            {
                r.AddError("Name --dir DIR, or at least one of --ratings, --movies, --tags.");
            }
        });
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var dir = parseResult.GetValue(_dir);
        if (dir is not null && !dir.Exists)
        {
            throw new DirectoryNotFoundException($"{dir.FullName}: folder not found.");
        }

        string? Pick(Option<FileInfo?> option, string name, bool required)
        {
            if (parseResult.GetValue(option) is { } file)
            {
                return file.FullName;
            }

            if (dir is null)
            {
                return null;
            }

            var path = Path.Combine(dir.FullName, name);
            return File.Exists(path) || required ? path : null;
        }

        var ratings = Pick(_ratings, "ratings.csv", required: true);
        var movies = Pick(_movies, "movies.csv", required: true);
        var tags = Pick(_tags, "tags.csv", required: false);
        return IngestRun.RunAsync(context, parseResult.GetValue(IngestCommand.Strict),
            (importer, ct) => importer.ImportMovieLensAsync(ratings, movies, tags, ct), cancellationToken);
    }
}
