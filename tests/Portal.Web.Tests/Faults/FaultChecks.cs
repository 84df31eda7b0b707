using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Portal.Web.Tests.Faults;

/// <summary>
/// What every dependency fault test checks the same way: a bounded wait for a condition, and pages and answers that
/// never show a server error or a stack trace, whatever the dependency does.
/// </summary>
/// <remarks>
/// The Faults folder mirrors no single source folder: a dependency failure crosses features, so its tests sit together.
/// </remarks>
internal static class FaultChecks
{
    /// <summary>Polls <paramref name="condition"/> every 200 ms for at most <paramref name="seconds"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"waited {seconds} s for {what}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A page as prerendered HTML, after checking it rendered (200) with no error page or stack trace.</summary>
    public static async Task<IDocument> PageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{path} must render while a dependency fails");
        ShouldHaveNoTrace(body, path);
        var page = new HtmlParser().ParseDocument(body);
        body.ShouldNotContain("The request could not be completed", Case.Sensitive, $"{path} must not fall back to the error page");
        return page;
    }

    /// <summary>A refusal: 503 problem+json whose detail says what failed.</summary>
    public static async Task<string> ShouldBeUnavailableAsync(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, $"{what}: {body}");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        ShouldHaveNoTrace(body, what);
        using var problem = System.Text.Json.JsonDocument.Parse(body);
        return problem.RootElement.GetProperty("detail").GetString()!;
    }

    public static void ShouldHaveNoTrace(string body, string what)
    {
        body.ShouldNotContain("   at Portal.", Case.Sensitive, $"{what} shows a stack trace");
        body.ShouldNotContain("Exception:", Case.Sensitive, $"{what} shows an exception");
    }
}
