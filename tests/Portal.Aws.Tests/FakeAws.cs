using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Portal.Testing;

namespace Portal.Aws.Tests;

/// <summary>One request the fake service received, as it arrived on the wire.</summary>
internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, string Query = "")
{
    /// <summary>The query string's parameters, decoded.</summary>
    public IReadOnlyDictionary<string, string> QueryParameters => Decode(Query.TrimStart('?'));

    /// <summary>The operation named by <c>X-Amz-Target</c> (after its last dot), else the query protocol's <c>Action</c>.</summary>
    public string Operation => Header("X-Amz-Target") is { } target ? target[(target.LastIndexOf('.') + 1)..] : Form.GetValueOrDefault("Action", "");

    public JsonObject Json => (JsonObject)JsonNode.Parse(Body)!;

    public IReadOnlyDictionary<string, string> Form => Decode(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    private static Dictionary<string, string> Decode(string encoded) =>
        encoded.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "");
}

/// <summary>What the fake service answers.</summary>
internal sealed record FakeReply(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default)
{
    public static FakeReply Ok(string body) => new(200, body);

    /// <summary>An awsJson error as CloudWatch sends it: <c>__type</c> with its namespace, <c>message</c>, and the query code header.</summary>
    public static FakeReply Error(int status, string type, string message, string? queryError = null) => new(
        status,
        new JsonObject { ["__type"] = type, ["message"] = message }.ToJsonString(),
        queryError is null ? null : new Dictionary<string, string> { ["x-amzn-query-error"] = queryError });
}

/// <summary>
/// An AWS service stand-in on a loopback port (STYLE.md, habit 4): it records every request and answers with what
/// the test's responder returns, usually real response shapes from Reference/.
/// </summary>
internal sealed class FakeAws() : RecordingServer<RecordedRequest, FakeReply>(_ => new FakeReply(500, """{"__type":"InternalFailure","message":"no responder"}"""))
{
    public IReadOnlyList<RecordedRequest> RequestsFor(string operation) => Requests.Where(r => r.Operation == operation).ToList();

    public static Task<FakeAws> StartAsync() => StartAsync(new FakeAws());

    /// <summary>A responder that answers each request with the next of <paramref name="replies"/>, the last one from then on.</summary>
    public static Func<RecordedRequest, FakeReply> Sequence(params FakeReply[] replies)
    {
        var next = 0;
        return _ => replies[Math.Min(Interlocked.Increment(ref next) - 1, replies.Length - 1)];
    }

    protected override RecordedRequest Record(string method, string path, string query, IReadOnlyDictionary<string, string> headers, string body) =>
        new(method, path, headers, body, query);

    protected override TimeSpan DelayOf(FakeReply reply) => reply.Delay;

    protected override async Task WriteAsync(HttpContext context, RecordedRequest request, FakeReply reply)
    {
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = request.Header("Content-Type") ?? "text/xml";
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(reply.Body, context.RequestAborted);
    }
}
