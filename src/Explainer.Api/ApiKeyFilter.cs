using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Explainer.Api;

/// <summary>When <c>Api:Key</c> is configured, a <c>/v1</c> request without that key in <c>X-Api-Key</c> gets 401.</summary>
public sealed class ApiKeyFilter(IOptions<ApiOptions> options) : IEndpointFilter
{
    private readonly byte[]? _key = options.Value.Key is { Length: > 0 } k ? Encoding.UTF8.GetBytes(k) : null;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_key is null)
        {
            return next(context);
        }

        var given = context.HttpContext.Request.Headers[ApiOptions.KeyHeader].ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _key)
            ? next(context)
            : ValueTask.FromResult<object?>(TypedResults.Problem(
                $"This server requires an API key in the {ApiOptions.KeyHeader} header.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"));
    }
}
