using Explainer.Core.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Explainer.Api;

/// <summary>
/// A write the store refused (read-only store: 409; not enough disk space: 507; other store faults: 503) answered as a
/// problem that says so; nothing was written. Reads go on working.
/// </summary>
public sealed class StoreProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not StoreException store)
        {
            return false;
        }

        var (status, title) = store switch
        {
            StoreReadOnlyException => (StatusCodes.Status409Conflict, "Store is read-only"),
            StoreFullException => (StatusCodes.Status507InsufficientStorage, "Not enough disk space"),
            _ => (StatusCodes.Status503ServiceUnavailable, "Store unavailable"),
        };
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = store.Message },
        }).ConfigureAwait(false);
    }
}
