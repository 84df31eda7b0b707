using Portal.Core.Actions;
using Portal.Core.Approvals;
using Portal.Web.Api;
using Portal.Web.SignIn;

namespace Portal.Web.Features.Approvals;

internal static class ApprovalsApi
{
    private static readonly Dictionary<string, ApprovalState> States = Enum.GetValues<ApprovalState>()
        .ToDictionary(s => s.ToString().ToLowerInvariant(), StringComparer.OrdinalIgnoreCase);

    public static RouteGroupBuilder MapApprovalsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/approvals").WithTags("Approvals");

        group.MapGet("/", async (string? state, HttpContext http, ApprovalService approvals) =>
        {
            ApprovalState? filter = null;
            if (!string.IsNullOrEmpty(state))
            {
                if (!States.TryGetValue(state, out var parsed))
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]>
                    {
                        ["state"] = [$"'{state}' is not a state; use one of {string.Join(", ", States.Keys)}"],
                    }, title: "The request is not valid.");
                }

                filter = parsed;
            }

            var requests = await approvals.ListAsync(http.User.ToPortalPrincipal(), filter, http.RequestAborted);
            return Results.Ok(requests.Select(ApprovalDto.From));
        })
        .Produces<IEnumerable<ApprovalDto>>()
        .ProducesValidationProblem()
        .WithSummary("Four-eyes requests (prod creation and destruction, deploys where approval is required) on environments you may see, newest first; state: pending, approved, rejected or expired.");

        group.MapPost("/{id:guid}/approve", (Guid id, HttpContext http, ApprovalService approvals) =>
            DecideAsync(http, comment => approvals.ApproveAsync(ActorContexts.From(http, "api"), id, comment, http.RequestAborted)))
            .Accepts<DecisionRequest>(isOptional: true, "application/json")
            .Produces<ApprovalDto>()
            .ProducesValidationProblem()
            .WithSummary("Approve someone else's request (Owner or PortalAdmin); its job starts. Body optional: {\"comment\": \"...\"}.");

        group.MapPost("/{id:guid}/reject", (Guid id, HttpContext http, ApprovalService approvals) =>
            DecideAsync(http, comment => approvals.RejectAsync(ActorContexts.From(http, "api"), id, comment, http.RequestAborted)))
            .Accepts<DecisionRequest>(isOptional: true, "application/json")
            .Produces<ApprovalDto>()
            .ProducesValidationProblem()
            .WithSummary("Reject someone else's request; nothing is created or destroyed. Body optional: {\"comment\": \"...\"}.");

        return api;
    }

    /// <summary>The body is optional: none at all decides without a comment; one that is there must be JSON.</summary>
    private static async Task<IResult> DecideAsync(HttpContext http, Func<string?, Task<ActionResult<ApprovalRequest>>> decide)
    {
        if (!http.Request.HasJsonContentType() && http.Request.ContentLength is null or 0)
        {
            return ApiResults.From(await decide(null), r => Results.Ok(ApprovalDto.From(r)));
        }

        return await ApiBody.HandleAsync<DecisionRequest>(http.Request, async body =>
            ApiResults.From(await decide(body.Comment), r => Results.Ok(ApprovalDto.From(r))));
    }
}
