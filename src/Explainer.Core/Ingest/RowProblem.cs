namespace Explainer.Core.Ingest;

/// <summary>A malformed row: where it is, which field is at fault, and why. The row is skipped (or, with --strict, fails the import).</summary>
public sealed record RowProblem(string File, long Line, string Field, string Reason)
{
    public override string ToString() => $"{File}:{Line}: field '{Field}': {Reason}";
}

/// <summary>Thrown in strict mode on the first malformed row.</summary>
public sealed class MalformedRowException(RowProblem problem) : Exception(problem.ToString())
{
    public RowProblem Problem { get; } = problem;
}
