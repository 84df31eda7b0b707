using Portal.Core.Actions;

namespace Portal.Web.Features.Deployments;

/// <summary>Why a deploy or rollback was not done, as a banner says it: refused, in the way of another, or the cluster not answering.</summary>
public sealed record ActionProblem(string Kind, string Title, string Message)
{
    /// <summary>The problem an outcome names; null for success and for field errors (those go under the fields).</summary>
    public static ActionProblem? From<T>(ActionResult<T> result, string what) => result switch
    {
        ActionResult<T>.Denied d => new("denied", $"You may not {what}", d.Decision.Reason),
        ActionResult<T>.Conflict c => new("conflict", $"Cannot {what} now", c.Message),
        ActionResult<T>.Unavailable u => new("unavailable", "The cluster did not answer; nothing was changed", u.Message),
        ActionResult<T>.NotFound n => new("not-found", "Not found", $"{n.What} was not found, or you may not see it."),
        ActionResult<T>.Ok or ActionResult<T>.Invalid => null,
        _ => new("failed", $"Could not {what}", result.Describe()),
    };
}
