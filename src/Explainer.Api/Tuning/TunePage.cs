using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Explainer.Api.Tuning;

/// <summary>
/// The prompt-tuning page at <c>/tune</c>: four static files embedded in this assembly (no build step, nothing fetched
/// at run time), served with a Content-Security-Policy that allows only this origin's script, style and API calls, so
/// even a review that got into the page as markup could not run or load anything; Trusted Types make the browser refuse
/// any HTML string sink (innerHTML and the like), so "text, never HTML" is enforced, not only followed.
/// </summary>
public static class TunePage
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'";

    private static readonly FrozenDictionary<string, (byte[] Body, string Type)> Files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal)
    {
        ["index.html"] = (Read("index.html"), "text/html; charset=utf-8"),
        ["tune.js"] = (Read("tune.js"), "text/javascript; charset=utf-8"),
        ["tune.css"] = (Read("tune.css"), "text/css; charset=utf-8"),
        ["icon.svg"] = (Read("icon.svg"), "image/svg+xml"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapTunePage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tune", (HttpContext http) => Serve(http, "index.html")).ExcludeFromDescription();
        app.MapGet("/tune/{file}", (HttpContext http, string file) => Serve(http, file)).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, string file)
    {
        if (!Files.TryGetValue(file, out var content))
        {
            return Results.NotFound();
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return Results.Bytes(content.Body, content.Type);
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(TunePage).Assembly.GetManifestResourceStream("tune/" + name)
            ?? throw new InvalidOperationException($"The tune page's {name} is not embedded in {typeof(TunePage).Assembly.GetName().Name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
