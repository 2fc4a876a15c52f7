namespace Explainer.Cli.Commands;

/// <summary>Exit codes of every command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The work could not be done: bad input file, unusable store, missing model.</summary>
    public const int Failed = 1;

    /// <summary>The command line itself was wrong (System.CommandLine's own code for parse errors).</summary>
    public const int Usage = 2;

    /// <summary>Ctrl+C.</summary>
    public const int Cancelled = 130;
}
