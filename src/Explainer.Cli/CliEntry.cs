using System.CommandLine;
using System.Text.RegularExpressions;
using Explainer.Cli.Commands;

namespace Explainer.Cli;

/// <summary>
/// Parses the command line and runs the command. A command line that does not parse gets one line on stderr naming
/// the option and what is wrong, and exit code 2 (System.CommandLine would print every error and the whole help).
/// </summary>
public static partial class CliEntry
{
    public static async Task<int> RunAsync(string[] args, TextWriter? error = null)
    {
        var root = RootCommandFactory.Create();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && !WantsHelp(args))
        {
            var command = string.Join(' ', Path(parse.CommandResult).Prepend("explainer"));
            (error ?? System.Console.Error).WriteLine($"error: {Readable(parse.Errors.OrderBy(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal) ? 0 : 1).First().Message)} (see '{command} --help')");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync().ConfigureAwait(false);
    }

    private static bool WantsHelp(string[] args) => args.Any(a => a is "-h" or "--help" or "-?");

    private static IEnumerable<string> Path(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var r = result; r?.Parent is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, r.Command.Name);
        }

        return names;
    }

    /// <summary>"Cannot parse argument 'abc' for option '-k' as expected type 'System.Int32'." reads as "-k: 'abc' is not a whole number."</summary>
    private static string Readable(string message)
    {
        message = Spaces().Replace(message, " ").Trim();
        var m = TypeError().Match(message);
        if (!m.Success)
        {
            return message.TrimEnd('.') + ".";
        }

        var what = m.Groups["type"].Value switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Boolean" => "true or false",
            _ => "valid here",
        };
        return $"{m.Groups["option"].Value}: '{m.Groups["value"].Value}' is not {what}.";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial Regex TypeError();
}
