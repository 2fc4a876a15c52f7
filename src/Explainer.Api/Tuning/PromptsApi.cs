using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Explainer.Explaining;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Explainer.Api.Tuning;

public sealed record PromptDraft(string? Template, string? Config, string? Author = null, string? Note = null, string? Parent = null);

public sealed record RunRequest(string? Version = null, int Sample = 10, int K = 1, int Seed = 42);

public sealed record JudgementRequest(int Rating, string? Comment = null);

public sealed record LabelMove(string? Version = null, string? By = null, string? Note = null);

/// <summary>A version as listed (without its text).</summary>
public sealed record VersionSummary(string Hash, bool Active, DateTimeOffset Created, string Origin, string? Author, string? Note, string? Parent, int Runs);

/// <summary>A stored run as listed, with its metrics.</summary>
public sealed record RunSummary(string Id, string Hash, string Model, int Sample, int K, int Seed, DateTimeOffset Created, PromptRunMetrics Metrics);

public sealed record ValidationResponse(bool Ok, IReadOnlyList<PromptProblem> Problems);

/// <summary>
/// <c>/v1/prompts</c>: the prompt-tuning service over HTTP, for the <c>/tune</c> page (the CLI's <c>explainer prompts</c>
/// calls the same <see cref="PromptSessions"/> in process). Prompt errors are 400/404 problems that say what to do.
/// </summary>
public static class PromptsApi
{
    public static RouteGroupBuilder MapPromptsApi(this RouteGroupBuilder v1)
    {
        var prompts = v1.MapGroup("/prompts").WithTags("prompts");
        prompts.MapGet("/", (PromptSessions s) => TypedResults.Ok(new { s.Model, s.UsesLlm, Prompts = s.Prompts().Select(p => new { p.Name, p.Versions, p.ActiveHash, p.OnDiskHash, p.Runs, p.Runnable, Model = s.ModelFor(p.Name), UsesLlm = s.UsesLlmFor(p.Name) }) })).WithSummary("The prompts, their versions' count, the active and the on-disk version, and runs.");
        prompts.MapGet("/{name}/versions", (string name, PromptSessions s) => Handle<List<VersionSummary>>(() =>
        {
            var runs = s.Runs(name);
            return [.. s.VersionsOf(name).Select(v => new VersionSummary(v.Hash, v.Active, v.FirstSeen, v.Origin ?? PromptVersion.FromFile, v.Author, v.Note, v.Parent, runs.Count(r => r.Hash == v.Hash)))];
        })).WithSummary("A prompt's versions, oldest first.");
        prompts.MapGet("/{name}/versions/{hash}", (string name, string hash, PromptSessions s) => Handle(() => s.Version(name, hash))).WithSummary("One version: its skprompt.txt (template) and config.json (config).");
        prompts.MapPost("/{name}/validate", async (string name, PromptDraft draft, PromptSessions s, CancellationToken ct) =>
        {
            try
            {
                var problems = await s.ValidateAsync(name, draft.Template ?? string.Empty, draft.Config ?? string.Empty, ct).ConfigureAwait(false);
                return (IResult)TypedResults.Ok(new ValidationResponse(problems.All(p => p.Severity != PromptProblem.Error), problems));
            }
            catch (PromptException ex)
            {
                return ex.Missing ? NotFound(ex) : Bad(ex);
            }
        }).WithSummary("Semantic Kernel's template errors and missing or unknown input variables of a draft, each with its file and line.");
        prompts.MapPost("/{name}/versions", async (string name, PromptDraft draft, PromptSessions s, CancellationToken ct) =>
        {
            try
            {
                var (version, isNew) = await s.CreateVersionAsync(name, draft.Template ?? string.Empty, draft.Config ?? string.Empty, draft.Author, draft.Note, draft.Parent, ct).ConfigureAwait(false);
                return isNew ? TypedResults.Created($"/v1/prompts/{Uri.EscapeDataString(name)}/versions/{version.Hash}", version) : (IResult)TypedResults.Ok(version);
            }
            catch (PromptValidationException ex)
            {
                return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "The prompt has errors",
                    Detail = ex.Message,
                    Extensions = { ["problems"] = ex.Problems },
                });
            }
            catch (PromptException ex)
            {
                return ex.Missing ? NotFound(ex) : Bad(ex);
            }
        }).WithSummary("Checks a draft and stores it as a new version (inactive until promoted): 201; the text of a stored version: 200 with it; 400 with the problems when it has errors.");

        prompts.MapGet("/{name}/runs", (string name, PromptSessions s) => Handle(() =>
            s.Runs(name).Select(r => new RunSummary(r.Id, r.Hash, r.Model, r.Sample, Math.Max(1, r.K), r.Seed, r.CreatedAt, PromptSessions.Metrics(r))).ToList())).WithSummary("A prompt's stored runs with their metrics, newest first.");
        prompts.MapPost("/{name}/runs", (string name, RunRequest request, PromptRunJobs jobs) =>
        {
            try
            {
                var job = jobs.Start(name, request.Version, request.Sample, request.K, request.Seed);
                return (IResult)TypedResults.Accepted($"/v1/prompts/jobs/{job.Id}", job);
            }
            catch (PromptRunBusyException ex)
            {
                return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "A run is going", extensions: new Dictionary<string, object?> { ["job"] = ex.Running.Id });
            }
            catch (PromptException ex)
            {
                return ex.Missing ? NotFound(ex) : Bad(ex);
            }
        }).WithSummary("Starts a run of a version (default: the active one) over a seeded sample of users; the active version runs first on the same sample when it has no run there yet. Poll the job.");
        prompts.MapGet("/jobs/{id}", (string id, PromptRunJobs jobs) => jobs.Find(id) is { } job ? (IResult)TypedResults.Ok(job) : TypedResults.Problem($"No run job '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found")).WithSummary("A run's state, progress (done of total users) and the runs it stored.");
        prompts.MapDelete("/jobs/{id}", (string id, PromptRunJobs jobs) => jobs.Cancel(id) switch
        {
            true => (IResult)TypedResults.Accepted($"/v1/prompts/jobs/{id}"),
            false => TypedResults.Problem($"Job '{id}' is not running.", statusCode: StatusCodes.Status409Conflict, title: "Not running"),
            null => TypedResults.Problem($"No run job '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        }).WithSummary("Cancels a running job; it stops at the next user and stores none of its runs.");

        prompts.MapGet("/{name}/compare", (string name, string candidate, string? baseline, PromptSessions s) => Handle(() => s.Compare(name, candidate, baseline)))
            .WithSummary("The candidate's latest run against the baseline's (default: the active version) run on the same sample: metrics with deltas, improved / regressed / unchanged cases, word diffs of the prompts and of each pair of outputs.");
        prompts.MapPut("/runs/{runId}/cases/{userId}/{itemId}/judgement", (string runId, string userId, string itemId, JudgementRequest request, PromptSessions s) =>
            Handle(() => s.Judge(runId, userId == "-" && PromptSessions.OverItems(s.Run(runId).Name) ? string.Empty : userId, itemId, request.Rating, request.Comment))).WithSummary("Thumbs up (1), down (-1) or none (0) and a comment on one case of a run (user '-' for the cases of a run over items).");

        prompts.MapPost("/{name}/promote", (string name, LabelMove move, PromptSessions s) => Handle(() =>
            s.Promote(name, move.Version ?? throw new PromptException("Say which version to promote (version)."), move.By ?? string.Empty, move.Note ?? string.Empty))).WithSummary("Makes a version active; who (by) and why (note) go into the history.");
        prompts.MapPost("/{name}/rollback", (string name, LabelMove move, PromptSessions s) => Handle(() =>
            s.Rollback(name, move.By ?? string.Empty, move.Note ?? string.Empty))).WithSummary("Makes the version active before the last promotion active again.");
        prompts.MapGet("/{name}/history", (string name, PromptSessions s) => Handle(() => s.History(name))).WithSummary("Every move of the active label, oldest first.");
        return v1;
    }

    /// <summary>The value, or the prompt error as a problem: 404 for what does not exist, 400 for a request that cannot be met.</summary>
    private static IResult Handle<T>(Func<T> action)
    {
        try
        {
            return TypedResults.Ok(action());
        }
        catch (PromptException ex)
        {
            return ex.Missing ? NotFound(ex) : Bad(ex);
        }
    }

    private static ProblemHttpResult NotFound(PromptException ex) => TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static ProblemHttpResult Bad(PromptException ex) => TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Cannot do that");
}
