using Portal.Core.Actions;
using Portal.Core.Jobs;
using Portal.Web.Api;
using Portal.Web.SignIn;

namespace Portal.Web.Features.Jobs;

internal static class JobsApi
{
    public const int MaxPageSize = 200;

    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/jobs").WithTags("Jobs");

        group.MapGet("/", async (HttpContext http, JobService jobs, string? environment, string? kind, string? state, string? user,
            string? from, string? to, int? skip, int? take) =>
        {
            var errors = new Dictionary<string, string[]>();
            var filter = JobFilter.Parse(environment, kind, state, user, from, to, errors);
            if (skip is < 0)
            {
                errors["skip"] = ["must be 0 or more"];
            }

            if (take is < 1 or > MaxPageSize)
            {
                errors["take"] = [$"must be between 1 and {MaxPageSize}"];
            }

            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors, title: "The request is not valid.");
            }

            var page = await jobs.ListAsync(http.User.ToPortalPrincipal(), filter.ToQuery(skip ?? 0, take ?? 50), http.RequestAborted);
            return Results.Ok(new JobListDto([.. page.Items.Select(j => JobDto.From(j, jobs.Describe(j)))], page.Total));
        })
        .Produces<JobListDto>()
        .ProducesValidationProblem()
        .WithSummary("The jobs you may see (those of environments you may see), newest first; filter by environment, kind, state, user (who asked) and creation time.");

        group.MapGet("/{id:guid}", async (Guid id, HttpContext http, JobService jobs) =>
            await jobs.GetAsync(http.User.ToPortalPrincipal(), id, http.RequestAborted) is { } job
                ? Results.Ok(JobDto.From(job, jobs.Describe(job)))
                : ApiResults.NotFound($"Job '{id}'"))
        .Produces<JobDto>()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithSummary("One job with its steps: state, attempts, times, error and the time of the next attempt.");

        group.MapGet("/{id:guid}/log", async (Guid id, long? after, HttpContext http, JobService jobs) =>
        {
            if (after is < 0)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["after"] = ["must be 0 or more"] }, title: "The request is not valid.");
            }

            var who = http.User.ToPortalPrincipal();
            if (await jobs.GetAsync(who, id, http.RequestAborted) is null)
            {
                return ApiResults.NotFound($"Job '{id}'");
            }

            var lines = await jobs.LogAsync(who, id, after ?? 0, http.RequestAborted);
            return Results.Ok(lines.Select(JobLogLineDto.From));
        })
        .Produces<IEnumerable<JobLogLineDto>>()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithSummary("The job's log lines after sequence number `after` (0: from the start), oldest first; poll with the last sequence you have.");

        group.MapPost("/{id:guid}/cancel", async (Guid id, HttpContext http, JobService jobs) =>
            Answer(id, await jobs.CancelAsync(ActorContexts.From(http, "api"), id, CancellationToken.None), jobs))
        .Produces<JobDto>(StatusCodes.Status202Accepted)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .WithSummary("Cancel an unfinished job: the current step finishes, the ones after it are skipped (Operators).");

        group.MapPost("/{id:guid}/retry", async (Guid id, HttpContext http, JobService jobs) =>
            Answer(id, await jobs.RetryAsync(ActorContexts.From(http, "api"), id, CancellationToken.None), jobs))
        .Produces<JobDto>(StatusCodes.Status202Accepted)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .WithSummary("Run a failed job again from the step that failed, with a fresh budget of attempts (Operators).");

        return api;
    }

    /// <summary>
    /// Someone who may not see the job's environment is told the job was not found, like GET: the action's own answer
    /// names the environment, which would tell them where the job runs.
    /// </summary>
    private static IResult Answer(Guid id, ActionResult<PortalJob> result, JobService jobs) => result is ActionResult<PortalJob>.NotFound
        ? ApiResults.NotFound($"Job '{id}'")
        : ApiResults.From(result, j => Results.Accepted($"/api/v1/jobs/{j.Id}", JobDto.From(j, jobs.Describe(j))));
}
