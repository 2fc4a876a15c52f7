using System.CommandLine;
using System.CommandLine.Parsing;

namespace Explainer.Cli.Commands;

/// <summary>
/// Range checks for numeric options. A validator runs even when the value did not parse (System.CommandLine has
/// already recorded that error), and reading the value then throws, which used to abort the process: read safely.
/// </summary>
internal static class OptionChecks
{
    public static T WithRange<T>(this T option, double min, double max)
        where T : Option
    {
        option.Validators.Add(r =>
        {
            if (TryValue(r, out var value) && (value < min || value > max))
            {
                r.AddError($"{option.Name} must be between {min} and {max} (got {value}).");
            }
        });
        return option;
    }

    private static bool TryValue(OptionResult result, out double value)
    {
        value = 0;
        try
        {
            var raw = result.GetValueOrDefault<object?>();
            if (raw is null)
            {
                return false;
            }

            value = Convert.ToDouble(raw, System.Globalization.CultureInfo.InvariantCulture);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // not a number: the parse error says so
        }
    }
}
