using Explainer.Core.Ingest;

namespace Explainer.Ingest.Formats;

/// <summary>One row of a source file: the value it holds, or the problem that makes it unusable.</summary>
public readonly record struct Row<T>(long Line, T? Value, RowProblem? Problem)
    where T : class
{
    public static Row<T> Ok(long line, T value) => new(line, value, null);

    public static Row<T> Bad(RowProblem problem) => new(problem.Line, null, problem);
}

/// <summary>A field that failed to parse; caught per row and turned into a <see cref="RowProblem"/>.</summary>
internal sealed class FieldException(string field, string reason) : Exception(reason)
{
    public string Field { get; } = field;
}
