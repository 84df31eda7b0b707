using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Portal.Aws.Signing;
using Portal.Core.Logs;
using Portal.Logs.Elasticsearch;
using Portal.Testing;

namespace Portal.Logs.Tests.Elasticsearch;

/// <summary>Credentials, retries and failures of the REST client, end to end against <see cref="FakeElasticsearch"/>.</summary>
public sealed partial class ElasticsearchClientTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private readonly HttpClient _http = new();
    private FakeElasticsearch _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeElasticsearch.StartAsync();
        _fake.Responder = _ => FakeReply.Ok("""{"cluster_name":"logs","status":"green"}""");
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private ElasticsearchClient Client(Action<ElasticsearchOptions>? configure = null, HttpClient? http = null)
    {
        var options = new ElasticsearchOptions { Url = _fake.Url, Flavor = ElasticsearchFlavor.Elasticsearch, RequestTimeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        return new ElasticsearchClient(http ?? _http, options, TimeProvider.System);
    }

    private static LogSearchRequest Request() => new()
    {
        From = Now.AddHours(-1),
        To = Now,
        Scopes = [new LogScope("prod", "shop-prod")],
    };

    private static async Task<LogBackendException> SearchFailsAsync(ElasticsearchClient client, ElasticsearchOptions? options = null) =>
        await Should.ThrowAsync<LogBackendException>(() =>
            new ElasticsearchLogSearchBackend(client, options ?? new ElasticsearchOptions { Url = new Uri("http://unused") }).SearchAsync(Request(), CancellationToken.None));

    [Fact]
    public async Task Send_ApiKeyMode_SendsTheApiKeyAuthorization()
    {
        await Client(o =>
        {
            o.Authentication.Mode = ElasticsearchAuthenticationMode.ApiKey;
            o.Authentication.ApiKey = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
        }).ClusterHealthAsync(CancellationToken.None);

        _fake.Requests.Single().Header("Authorization").ShouldBe("ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==");
    }

    [Fact]
    public async Task Send_BasicMode_SendsBasicCredentials()
    {
        await Client(o =>
        {
            o.Authentication.Mode = ElasticsearchAuthenticationMode.Basic;
            o.Authentication.Username = "portal";
            o.Authentication.Password = "pä:ss";
        }).ClusterHealthAsync(CancellationToken.None);

        _fake.Requests.Single().Header("Authorization").ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("portal:pä:ss")));
    }

    [Fact]
    public async Task Send_UserInfoInTheUrl_BecomesBasicCredentialsAndLeavesTheUrl()
    {
        await Client(o => o.Url = new UriBuilder(_fake.Url) { UserName = "elastic", Password = "se%2Fcret" }.Uri).ClusterHealthAsync(CancellationToken.None);

        var request = _fake.Requests.Single();
        request.Header("Authorization").ShouldBe("Basic " + Convert.ToBase64String("elastic:se/cret"u8.ToArray()));
        request.Header("Host").ShouldBe($"{_fake.Url.Host}:{_fake.Url.Port}");
        request.PathAndQuery.ShouldBe("/_cluster/health");
    }

    [Fact]
    public async Task Send_UrlWithAPathPrefix_KeepsThePrefix()
    {
        await Client(o => o.Url = new Uri(_fake.Url, "/es")).ClusterHealthAsync(CancellationToken.None);

        _fake.Requests.Single().PathAndQuery.ShouldBe("/es/_cluster/health");
    }

    [Fact]
    public async Task Send_SigV4Handler_SignsWhatIsSentSoTheServerCanVerifyIt()
    {
        var credentials = new SessionAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token");
        using var signed = new HttpClient(new AwsSigV4SigningHandler("eu-west-1", "es", () => credentials, new FakeClock(Now)) { InnerHandler = new SocketsHttpHandler() });
        _fake.Responder = r => r.Path.EndsWith("/_pit", StringComparison.Ordinal)
            ? FakeReply.Ok("""{"id":"pit"}""")
            : FakeReply.Ok("""{"hits":{"total":{"value":0,"relation":"eq"},"hits":[]}}""");
        var options = new ElasticsearchOptions { Url = _fake.Url, Flavor = ElasticsearchFlavor.Elasticsearch };

        await new ElasticsearchLogSearchBackend(new ElasticsearchClient(signed, options, TimeProvider.System), options).SearchAsync(Request(), CancellationToken.None);

        var search = _fake.Requests.Single(r => r.Path == "/_search");
        search.Header("X-Amz-Date").ShouldBe("20261122T090000Z");
        search.Header("X-Amz-Security-Token").ShouldBe("session-token");
        search.Header("X-Amz-Content-SHA256").ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(search.Body))));
        AuthorizationShape().IsMatch(search.Header("Authorization")!).ShouldBeTrue(search.Header("Authorization"));
        foreach (var request in _fake.Requests)
        {
            request.Header("Authorization").ShouldBe(ExpectedSignature(request, credentials), $"{request.Method} {request.PathAndQuery}");
        }
    }

    /// <summary>Signs what the server received, with the signed headers the client named, as AWS would to check it.</summary>
    private string ExpectedSignature(RecordedRequest received, AWSCredentials credentials)
    {
        var signedHeaders = AuthorizationShape().Match(received.Header("Authorization")!).Groups["headers"].Value.Split(';');
        var request = new AWSSigningRequest
        {
            HttpMethod = new HttpMethod(received.Method),
            RequestUri = new Uri(_fake.Url, received.PathAndQuery),
            Content = received.Body.Length == 0 ? null : Encoding.UTF8.GetBytes(received.Body),
        };
        foreach (var name in signedHeaders.Where(h => h is not ("host" or "x-amz-date" or "x-amz-content-sha256" or "x-amz-security-token")))
        {
            request.Headers[name] = received.Header(name)!;
        }

        var parameters = new AWSSigV4Parameters
        {
            Credentials = credentials,
            Region = RegionEndpoint.EUWest1,
            Service = "es",
            SignPayload = true,
            SignedAt = Now.UtcDateTime,
        };
        return AWSSigV4Signer.Sign(request, parameters).Headers["Authorization"];
    }

    [GeneratedRegex("^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/eu-west-1/es/aws4_request, SignedHeaders=(?<headers>[a-z0-9;-]*host;[a-z0-9;-]*x-amz-content-sha256;x-amz-date;x-amz-security-token), Signature=[0-9a-f]{64}$")]
    private static partial Regex AuthorizationShape();

    [Fact]
    public async Task Send_ThrottledOnceThenAnswered_RetriesAfterRetryAfter()
    {
        var calls = 0;
        _fake.Responder = _ => Interlocked.Increment(ref calls) == 1
            ? new FakeReply(429, ReferenceData.Text("429-es_rejected_execution_exception.es6.json"), RetryAfter: "0")
            : FakeReply.Ok("""{"cluster_name":"logs","status":"green"}""");

        var health = await Client().ClusterHealthAsync(CancellationToken.None);

        health["status"]!.GetValue<string>().ShouldBe("green");
        _fake.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Send_ThrottledWithoutRetryAfter_BacksOffExponentiallyThenSucceeds()
    {
        var calls = 0;
        _fake.Responder = _ => Interlocked.Increment(ref calls) <= 2
            ? new FakeReply(429, ReferenceData.Text("429-es_rejected_execution_exception.es6.json"))
            : FakeReply.Ok("""{"status":"green"}""");
        var started = TimeProvider.System.GetTimestamp();

        await Client().ClusterHealthAsync(CancellationToken.None);

        _fake.Requests.Count.ShouldBe(3);
        TimeProvider.System.GetElapsedTime(started).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(700), "250 ms, then 500 ms");
    }

    [Fact]
    public async Task Send_ThrottledEveryTime_GivesUpAfterMaxRetriesAsThrottled()
    {
        _fake.Responder = _ => new FakeReply(429, ReferenceData.Text("429-es_rejected_execution_exception.es6.json"), RetryAfter: "0");

        var error = await SearchFailsAsync(Client(o => o.MaxRetries = 2));

        error.Failure.ShouldBe(LogBackendFailure.Throttled);
        error.Message.ShouldContain("es_rejected_execution_exception");
        _fake.Requests.Count.ShouldBe(3, "the first attempt and two retries");
    }

    [Fact]
    public async Task Send_BadRequest_IsAnInvalidQueryWithTheEnginesReason()
    {
        _fake.Responder = r => r.Path.EndsWith("/_pit", StringComparison.Ordinal)
            ? FakeReply.Ok("""{"id":"pit"}""")
            : new FakeReply(400, ReferenceData.Text("400-search_phase_execution_exception-query_shard_exception.opensearch.json"));

        var error = await SearchFailsAsync(Client());

        error.Failure.ShouldBe(LogBackendFailure.InvalidQuery);
        error.Message.ShouldBe("failed to create query: Cannot search on field [description] since it is not indexed.");
        _fake.Requests.Count.ShouldBe(3, "the point in time it opened for the failed search is closed");
        $"{_fake.Requests[2].Method} {_fake.Requests[2].Path}".ShouldBe("DELETE /_pit");
    }

    [Fact]
    public async Task Send_ServerError_IsUnavailableWithTypeAndReason()
    {
        _fake.Responder = _ => new FakeReply(500, ReferenceData.Text("500-search_phase_execution_exception-task_cancelled.opensearch.json"));

        var error = await SearchFailsAsync(Client());

        error.Failure.ShouldBe(LogBackendFailure.Unavailable);
        error.Message.ShouldBe("Elasticsearch failed (500 search_phase_execution_exception): cancelled task with reason: cpu usage exceeded [17.9ms >= 15ms], elapsed time exceeded [1.1s >= 300ms]");
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Send_CredentialsRefused_IsUnavailableWithoutTheKey(int status)
    {
        _fake.Responder = _ => new FakeReply(status, """{"error":{"root_cause":[{"type":"security_exception","reason":"unable to authenticate with provided credentials and anonymous access is not allowed for this request"}],"type":"security_exception","reason":"unable to authenticate with provided credentials"},"status":401}""");

        var error = await SearchFailsAsync(Client(o =>
        {
            o.Authentication.Mode = ElasticsearchAuthenticationMode.ApiKey;
            o.Authentication.ApiKey = "top-secret-key";
        }));

        error.Failure.ShouldBe(LogBackendFailure.Unavailable);
        error.Message.ShouldBe($"Elasticsearch refused Portal's credentials ({status}).");
    }

    [Fact]
    public async Task Send_EngineEchoesTheKey_TheMessageHasItRedacted()
    {
        _fake.Responder = _ => new FakeReply(400, """{"error":{"type":"illegal_argument_exception","reason":"bad header [ApiKey top-secret-key]"},"status":400}""");

        var error = await SearchFailsAsync(Client(o =>
        {
            o.Authentication.Mode = ElasticsearchAuthenticationMode.ApiKey;
            o.Authentication.ApiKey = "top-secret-key";
        }));

        error.Message.ShouldBe("bad header [ApiKey ***]");
    }

    [Fact]
    public async Task Send_NoAnswerInTime_IsATimeout()
    {
        _fake.Responder = _ => new FakeReply(200, "{}", Delay: TimeSpan.FromSeconds(10));

        var error = await SearchFailsAsync(Client(o => o.RequestTimeout = TimeSpan.FromMilliseconds(300)));

        error.Failure.ShouldBe(LogBackendFailure.Timeout);
        error.Message.ShouldBe("Elasticsearch did not answer within 0.3 s.");
    }

    [Fact]
    public async Task Send_CallerCancels_IsACancellationNotATimeout()
    {
        _fake.Responder = _ => new FakeReply(200, "{}", Delay: TimeSpan.FromSeconds(10));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Should.ThrowAsync<OperationCanceledException>(() => Client().ClusterHealthAsync(cancel.Token));
    }

    [Fact]
    public async Task Send_PortRefused_IsUnavailableNamingTheHostButNotThePassword()
    {
        var closed = FreePort.Next();

        var error = await SearchFailsAsync(Client(o => o.Url = new Uri($"https://portal-user:Sup3r-s3cret@127.0.0.1:{closed}")));

        error.Failure.ShouldBe(LogBackendFailure.Unavailable);
        error.Message.ShouldStartWith($"Elasticsearch at https://127.0.0.1:{closed} is unreachable:");
        error.Message.ShouldNotContain("Sup3r-s3cret");
        error.Message.ShouldNotContain("portal-user");
        error.InnerException.ShouldBeNull("an inner exception could carry the URL to a log");
    }

    [Fact]
    public async Task Send_NotJson_IsUnavailable()
    {
        _fake.Responder = _ => new FakeReply(200, "<html>proxy login</html>");

        var error = await Should.ThrowAsync<LogBackendException>(() => Client().ClusterHealthAsync(CancellationToken.None));

        error.Failure.ShouldBe(LogBackendFailure.Unavailable);
    }

    [Fact]
    public async Task Send_AcceptsJson()
    {
        await Client().ClusterHealthAsync(CancellationToken.None);

        MediaTypeWithQualityHeaderValue.Parse(_fake.Requests.Single().Header("Accept")!).MediaType.ShouldBe("application/json");
    }
}
