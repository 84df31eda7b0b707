using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Portal.Testing;

/// <summary>One request the fake engine received, as it arrived on the wire.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string PathAndQuery => Path + Query;

    public JsonObject Json => (JsonObject)JsonNode.Parse(Body)!;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What the fake engine answers.</summary>
public sealed record FakeReply(int Status, string Body, TimeSpan Delay = default, string? RetryAfter = null)
{
    public static FakeReply Ok(string body) => new(200, body);

    public static FakeReply Ok(JsonNode body) => new(200, body.ToJsonString());
}

/// <summary>
/// An Elasticsearch stand-in on a loopback port (WireMock is not on the mirror): it records every request and answers
/// with whatever the test's responder returns, usually real responses from Reference/Elasticsearch. Shared here because
/// both the back end's own tests (Portal.Logs.Tests) and the portal's fault tests (Portal.Web.Tests) put it behind Portal.
/// </summary>
public sealed class FakeElasticsearch() : RecordingServer<RecordedRequest, FakeReply>(_ => new FakeReply(500, """{"error":"no responder"}"""))
{
    public static Task<FakeElasticsearch> StartAsync() => StartAsync(new FakeElasticsearch());

    protected override RecordedRequest Record(string method, string path, string query, IReadOnlyDictionary<string, string> headers, string body) =>
        new(method, path, query, headers, body);

    protected override TimeSpan DelayOf(FakeReply reply) => reply.Delay;

    protected override async Task WriteAsync(HttpContext context, RecordedRequest request, FakeReply reply)
    {
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        if (reply.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = reply.RetryAfter;
        }

        await context.Response.WriteAsync(reply.Body, context.RequestAborted);
    }
}
