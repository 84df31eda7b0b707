using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Portal.Web.Api;

/// <summary>
/// Reads a JSON body so that a malformed one is answered like any other bad input: 400 problem+json naming the
/// field (from the JSON path) and the problem, never an exception page.
/// </summary>
internal static class ApiBody
{
    private static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Results.Problem(title: "Unsupported media type", detail: "Send the body as application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        var json = request.HttpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, json, request.HttpContext.RequestAborted);
            return value is null ? (null, Invalid("body", "a JSON object is required")) : (value, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, Invalid(field, ex.Path is null ? "is not valid JSON" : "has the wrong type or format"));
        }
    }

    /// <summary>Reads the body as <typeparamref name="T"/> and hands it on, or answers the reading problem.</summary>
    public static async Task<IResult> HandleAsync<T>(HttpRequest request, Func<T, Task<IResult>> handle)
        where T : class
    {
        var (value, problem) = await ReadAsync<T>(request);
        return problem ?? await handle(value!);
    }

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is not valid.");
}
