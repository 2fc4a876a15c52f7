using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Explainer.Api;

/// <summary>
/// Turns a request the framework could not bind (<c>k=abc</c>, malformed JSON, <c>"k": "abc"</c>, a null or array
/// body) into an RFC 7807 validation problem that names the field and says what is wrong, instead of a bare
/// "Bad Request". Minimal APIs throw <see cref="BadHttpRequestException"/> for these once
/// <c>RouteHandlerOptions.ThrowOnBadRequest</c> is set (see <see cref="ExplainerApi"/>).
/// </summary>
public sealed partial class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var errors = Describe(bad);
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(errors)
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Invalid request",
                Detail = string.Join(" ", errors.SelectMany(e => e.Value)),
            },
        }).ConfigureAwait(false);
    }

    /// <summary>Field name → what is wrong with it.</summary>
    public static Dictionary<string, string[]> Describe(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new() { ["body"] = ["The request body is larger than the server accepts (Api:MaxBodyBytes)."] };
        }

        if (bad.InnerException is JsonException json)
        {
            var where = json.LineNumber is { } line ? $" (line {line + 1}, column {(json.BytePositionInLine ?? 0) + 1})" : string.Empty;
            var expected = ExpectedType().Match(json.Message);
            if (!expected.Success)
            {
                return new() { ["body"] = [$"The body is not valid JSON{where}: {FirstSentence(json.Message)}"] };
            }

            var field = json.Path is null or "$" ? "body" : json.Path.TrimStart('$', '.');
            return new()
            {
                [field] = [field == "body" ? $"The body must be a JSON object{where}." : $"'{field}' must be {Friendly(MemberType(bad.Message, field) ?? expected.Groups[1].Value)}{where}."],
            };
        }

        var bind = BindFailure().Match(bad.Message);
        if (bind.Success)
        {
            var name = bind.Groups["name"].Value;
            return new() { [name] = [$"'{bind.Groups["value"].Value}' is not {Friendly(bind.Groups["type"].Value)}."] };
        }

        if (bad.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase) || bad.Message.Contains("body was empty", StringComparison.OrdinalIgnoreCase))
        {
            return new() { ["body"] = ["A JSON object is required in the request body."] };
        }

        if (bad.Message.Contains("Content-Type", StringComparison.OrdinalIgnoreCase))
        {
            return new() { ["Content-Type"] = ["Send the body as JSON with Content-Type: application/json."] };
        }

        var missing = RequiredMissing().Match(bad.Message);
        return missing.Success
            ? new() { [missing.Groups["name"].Value] = ["This value is required."] }
            : new() { ["request"] = [bad.Message] };
    }

    /// <summary>
    /// The declared type of <paramref name="field"/> in the body's type, named by the framework's message ("Failed to read
    /// parameter "FeedbackRequest request" ..."): System.Text.Json names the record, not the member, when a constructor
    /// parameter fails to convert.
    /// </summary>
    private static string? MemberType(string message, string field)
    {
        var name = BodyType().Match(message) is { Success: true } m ? m.Groups[1].Value : null;
        var type = name is null ? null : typeof(BadRequestProblems).Assembly.GetTypes().FirstOrDefault(t => t.Name == name);
        var property = type?.GetProperties().FirstOrDefault(p => string.Equals(p.Name, field.Split('.', '[')[0], StringComparison.OrdinalIgnoreCase));
        if (property is null)
        {
            return null;
        }

        var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return t == typeof(string) ? "string" : t.IsPrimitive || t == typeof(decimal) ? t.FullName : t.IsGenericType ? "IReadOnlyList" : t.Name;
    }

    [GeneratedRegex(@"Failed to read parameter ""([^ ""]+) [^""]+"" from the request body")]
    private static partial Regex BodyType();

    private static string Friendly(string type) => type.Replace("System.Nullable`1[", string.Empty, StringComparison.Ordinal).TrimEnd(']') switch
    {
        "System.Int32" or "int" or "System.Int64" or "long" => "an integer",
        "System.Double" or "double" or "System.Decimal" or "decimal" or "System.Single" or "float" => "a number",
        "System.Boolean" or "bool" => "true or false",
        "System.String" or "string" => "a string",
        var t when t.Contains("IReadOnlyList", StringComparison.Ordinal) || t.Contains("[]", StringComparison.Ordinal) => "a list",
        _ => "a JSON object",
    };

    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].Trim();

    [GeneratedRegex(@"Failed to bind parameter ""(?<type>[^ ""]+) (?<name>[^""]+)"" from ""(?<value>.*)""")]
    private static partial Regex BindFailure();

    [GeneratedRegex(@"could not be converted to (\S+?)\.(?: Path|$)")]
    private static partial Regex ExpectedType();

    [GeneratedRegex(@"Required parameter ""[^ ""]+ (?<name>[^""]+)"" was not provided")]
    private static partial Regex RequiredMissing();
}
