using Portal.Core.Actions;

namespace Portal.Web.Api;

/// <summary>Guarded-action outcomes as HTTP answers: RFC 9457 problem+json for everything but success.</summary>
internal static class ApiResults
{
    public static IResult From<T>(ActionResult<T> result, Func<T, IResult> ok) => result switch
    {
        ActionResult<T>.Ok r => ok(r.Value),
        ActionResult<T>.Denied d => Forbidden(d.Decision.Reason, d.Decision.Permission, d.Decision.Environment?.Name),
        ActionResult<T>.Invalid i => Results.ValidationProblem(i.Errors.ToDictionary(), title: "The request is not valid."),
        ActionResult<T>.NotFound n => NotFound(n.What),
        ActionResult<T>.Conflict c => Results.Problem(title: "Conflict", detail: c.Message, statusCode: StatusCodes.Status409Conflict),
        ActionResult<T>.Unavailable u => Unavailable(u.Message),
        _ => Results.Problem(statusCode: StatusCodes.Status500InternalServerError),
    };

    /// <summary>A refusal: the reason in words, and the permission (and environment) it was about, for scripts.</summary>
    public static IResult Forbidden(string reason, string permission, string? environment) => Results.Problem(
        title: "Forbidden",
        detail: reason,
        statusCode: StatusCodes.Status403Forbidden,
        extensions: new Dictionary<string, object?> { ["permission"] = permission, ["environment"] = environment });

    public static IResult Unavailable(string message) =>
        Results.Problem(title: "Service unavailable", detail: message, statusCode: StatusCodes.Status503ServiceUnavailable);

    public static IResult NotFound(string what) =>
        Results.Problem(title: "Not found", detail: $"{what} was not found, or you may not see it.", statusCode: StatusCodes.Status404NotFound);
}
