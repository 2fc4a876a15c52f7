using Explainer.Core.Ingest;

namespace Explainer.Ingest;

/// <summary>How many records of one kind an import added, changed or found already stored.</summary>
public sealed class EntityCounts
{
    public int Added { get; set; }

    public int Updated { get; set; }

    public int Unchanged { get; set; }

    /// <summary>Rows naming a record this import had already read (the first one is kept).</summary>
    public int DuplicateInFile { get; set; }

    public int Written => Added + Updated;

    public void Count(UpsertOutcome outcome)
    {
        switch (outcome)
        {
            case UpsertOutcome.Added: Added++; break;
            case UpsertOutcome.Updated: Updated++; break;
            default: Unchanged++; break;
        }
    }
}

/// <summary>What was read from one file and what became of it.</summary>
public sealed class FileSummary(string path, string kind)
{
    /// <summary>At most this many problems are kept as examples; the rest are only counted.</summary>
    public const int MaxExamples = 10;

    public string Path { get; } = path;

    public string Kind { get; } = kind;

    public long RowsRead { get; set; }

    public long RowsSkipped { get; set; }

    /// <summary>Skipped rows per field at fault.</summary>
    public SortedDictionary<string, int> SkippedByField { get; } = new(StringComparer.Ordinal);

    public List<RowProblem> Examples { get; } = [];

    /// <summary>Byte sequences that were not valid UTF-8, replaced by U+FFFD.</summary>
    public long InvalidUtf8 { get; set; }

    public void Skip(RowProblem problem)
    {
        RowsSkipped++;
        SkippedByField[problem.Field] = SkippedByField.GetValueOrDefault(problem.Field) + 1;
        if (Examples.Count < MaxExamples)
        {
            Examples.Add(problem);
        }
    }
}

/// <summary>The result of one import: per file, and per kind of record.</summary>
public sealed class IngestSummary
{
    public List<FileSummary> Files { get; } = [];

    public EntityCounts Users { get; } = new();

    public EntityCounts Items { get; } = new();

    /// <summary>Items created from reviews that name an item the metadata did not have.</summary>
    public int ItemsWithoutMetadata { get; set; }

    public EntityCounts Reviews { get; } = new();

    public TimeSpan Elapsed { get; set; }

    public long RowsSkipped => Files.Sum(f => f.RowsSkipped);

    /// <summary>Records added or changed: zero means the import wrote nothing.</summary>
    public int RowsWritten => Users.Written + Items.Written + Reviews.Written;

    public long InvalidUtf8 => Files.Sum(f => f.InvalidUtf8);
}

/// <summary>Progress of an import, reported every few thousand rows and at the end of each file.</summary>
public sealed record IngestProgress(string File, int FileIndex, int FileCount, long BytesDone, long BytesTotal, long Rows);
