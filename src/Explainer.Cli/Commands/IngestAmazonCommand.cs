using System.CommandLine;
using Explainer.Ingest;
using Microsoft.Extensions.Logging;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer ingest amazon --reviews F --items F</c>.</summary>
public sealed class IngestAmazonCommand : ExplainerCommand
{
    private readonly Option<FileInfo?> _reviews = new("--reviews")
    {
        Description = "Reviews: CSV (reviewerID, asin, reviewerName, helpful, reviewText, overall, summary, unixReviewTime) or JSON lines (2014 or 2018 layout), plain or .gz.",
        HelpName = "FILE",
    };

    private readonly Option<FileInfo?> _items = new("--items")
    {
        Description = "Item metadata: CSV (Product ID, Description, price, Category) or JSON lines (asin, title, brand, price, category(ies), description, feature), plain or .gz.",
        HelpName = "FILE",
    };

    public IngestAmazonCommand()
        : base("amazon", "Import Amazon reviews and/or item metadata.")
    {
        Options.Add(_reviews);
        Options.Add(_items);
        Options.Add(IngestCommand.Strict);
        Validators.Add(r =>
        {
            if (r.GetValue(_reviews) is null && r.GetValue(_items) is null)
            {
                r.AddError("Name --reviews FILE, --items FILE, or both.");
            }
        });
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var reviews = parseResult.GetValue(_reviews)?.FullName;
        var items = parseResult.GetValue(_items)?.FullName;
        return IngestRun.RunAsync(context, parseResult.GetValue(IngestCommand.Strict),
            (importer, ct) => importer.ImportAmazonAsync(reviews, items, ct), cancellationToken);
    }
}
