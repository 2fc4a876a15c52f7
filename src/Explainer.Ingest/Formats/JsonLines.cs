using System.Text.Json;
using Explainer.Core.Ingest;

namespace Explainer.Ingest.Formats;

/// <summary>Streams a JSON-lines file one object at a time (only one line in memory).</summary>
internal static class JsonLines
{
    public static IEnumerable<(long Line, JsonElement? Object, string? Error)> Read(SourceFile source)
    {
        long line = 0;
        bool? python = null;
        while (true)
        {
            string? text;
            try
            {
                text = source.Reader.ReadLine();
            }
            catch (InvalidDataException ex)
            {
                throw source.Corrupt(ex, line + 1);
            }

            if (text is null)
            {
                break;
            }

            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            // The official 2014 Amazon metadata is one Python dict literal per line: read as such, never evaluated.
            if (python ??= PythonLiteral.LooksLikeOne(text))
            {
                string? literalError = null;
                try
                {
                    text = PythonLiteral.ToJson(text);
                }
                catch (FormatException ex)
                {
                    literalError = $"not a valid Python literal ({ex.Message})";
                }

                if (literalError is not null)
                {
                    yield return (line, null, literalError);
                    continue;
                }
            }

            JsonElement? element = null;
            string? error = null;
            try
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    element = doc.RootElement.Clone();
                }
                else
                {
                    error = $"expected a JSON object, found {doc.RootElement.ValueKind}";
                }
            }
            catch (JsonException ex)
            {
                error = $"not valid JSON ({ex.Message})";
            }

            yield return (line, element, error);
        }

        source.VerifyComplete();
    }

    public static string? String(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    public static IEnumerable<string> Strings(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var v))
        {
            yield break;
        }

        if (v.ValueKind == JsonValueKind.String)
        {
            yield return v.GetString()!;
        }
        else if (v.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in v.EnumerateArray())
            {
                if (e.ValueKind == JsonValueKind.String)
                {
                    yield return e.GetString()!;
                }
            }
        }
    }
}
