using System.Globalization;
using Explainer.Core.Text;
using System.Text.RegularExpressions;

namespace Explainer.Ingest.Formats;

/// <summary>Parsers for the field shapes the public datasets use; each throws <see cref="FieldException"/> naming the field.</summary>
internal static partial class Fields
{
    public static string RequiredId(string field, string? value)
    {
        var v = value?.Trim();
        return string.IsNullOrEmpty(v) ? throw new FieldException(field, "is empty") : v;
    }

    public static double Rating(string field, string? value, double min, double max)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) || double.IsNaN(r))
        {
            throw new FieldException(field, $"'{Show(value)}' is not a number");
        }

        return r < min || r > max ? throw new FieldException(field, $"{r} is outside {min}–{max}") : r;
    }

    public static DateTimeOffset UnixTime(string field, string? value)
    {
        if (!long.TryParse(value?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            throw new FieldException(field, $"'{Show(value)}' is not a Unix time in seconds");
        }

        // Reviews before 1990 or after 2100 are a misread column, not data.
        return seconds is < 631152000 or > 4102444800
            ? throw new FieldException(field, $"{seconds} is not a plausible review time")
            : DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    /// <summary>The 2014 layout's <c>helpful</c>: "[helpful, total]".</summary>
    public static (int Helpful, int Total) Helpful(string field, string? value)
    {
        var m = HelpfulPattern().Match(value ?? string.Empty);
        return m.Success
            ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : throw new FieldException(field, $"'{Show(value)}' is not of the form [helpful, total]");
    }

    /// <summary>The 2018 layout's <c>vote</c>: a string such as "1,234".</summary>
    public static int Votes(string field, string? value)
    {
        var digits = value?.Replace(",", string.Empty, StringComparison.Ordinal).Trim();
        return int.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v
            : throw new FieldException(field, $"'{Show(value)}' is not a vote count");
    }

    /// <summary>A price such as 12.5, "$12.50" or "$5.99 - $12.99" (the lower bound); null when absent or unparseable.</summary>
    public static decimal? Price(string? value)
    {
        var m = PricePattern().Match(value ?? string.Empty);
        return m.Success && decimal.TryParse(m.Value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var p)
            ? p
            : null;
    }

    /// <summary>Plain text (<see cref="UntrustedText.Clean"/>: entities decoded, scripts and tags removed, whitespace collapsed); null when nothing is left.</summary>
    public static string? Text(string? value)
    {
        var clean = UntrustedText.Clean(value);
        return clean.Length == 0 ? null : clean;
    }

    private static string Show(string? value) => value is null ? "(missing)" : CsvRecords.Printable(value, 40);

    [GeneratedRegex(@"^\s*\[\s*(\d+)\s*,\s*(\d+)\s*\]\s*$")]
    private static partial Regex HelpfulPattern();

    [GeneratedRegex(@"\d[\d,]*(\.\d+)?")]
    private static partial Regex PricePattern();

}
