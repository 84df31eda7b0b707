namespace Portal.Web.SignIn;

/// <summary>Writes RFC 9457 problem+json for authentication outcomes, where no endpoint has run yet.</summary>
internal static class ApiProblems
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");
}
