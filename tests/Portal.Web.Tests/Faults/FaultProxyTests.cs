using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Portal.Testing;

namespace Portal.Web.Tests.Faults;

/// <summary>
/// The fault proxy itself (it lives in Portal.Testing, which has no test project of its own): each mode does to a
/// real HTTP client what the dependency failure it stands for would do, and Pass always brings the target back.
/// </summary>
/// <remarks>
/// The Faults folder mirrors no single source folder: a dependency failure crosses features, so its tests sit together.
/// </remarks>
public sealed class FaultProxyTests : IAsyncLifetime
{
    private WebApplication _target = default!;
    private FaultProxy _proxy = default!;
    private HttpClient _client = default!;

    public async Task InitializeAsync()
    {
        (_target, var url) = await LoopbackServer.StartAsync(app => app.MapGet("/ping", () => Results.Text("pong")));
        var uri = new Uri(url);
        _proxy = FaultProxy.Start(uri.Host, uri.Port);
        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_proxy.Port}"), Timeout = TimeSpan.FromSeconds(1) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
        await _target.DisposeAsync();
    }

    [Fact]
    public async Task Pass_ForwardsToTheTarget()
    {
        (await _client.GetStringAsync(new Uri("/ping", UriKind.Relative))).ShouldBe("pong");
        _proxy.AcceptedConnections.ShouldBe(1);
    }

    [Fact]
    public async Task Refuse_ResetsEvenPooledConnections_ThenPassRecovers()
    {
        (await _client.GetStringAsync(new Uri("/ping", UriKind.Relative))).ShouldBe("pong");

        _proxy.Mode = FaultMode.Refuse;
        await Should.ThrowAsync<HttpRequestException>(() => _client.GetStringAsync(new Uri("/ping", UriKind.Relative)));

        _proxy.Mode = FaultMode.Pass;
        (await _client.GetStringAsync(new Uri("/ping", UriKind.Relative))).ShouldBe("pong");
    }

    [Fact]
    public async Task Hang_TimesTheClientOut_ThenPassRecovers()
    {
        _proxy.Mode = FaultMode.Hang;
        var watch = Stopwatch.StartNew();
        await Should.ThrowAsync<TaskCanceledException>(() => _client.GetStringAsync(new Uri("/ping", UriKind.Relative)));
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900), "a hang is only observable as the client's own timeout");

        _proxy.Mode = FaultMode.Pass;
        (await _client.GetStringAsync(new Uri("/ping", UriKind.Relative))).ShouldBe("pong");
    }

    [Fact]
    public async Task Slow_DelaysEachChunk_ButStillAnswers()
    {
        _proxy.Delay = TimeSpan.FromMilliseconds(300);
        _proxy.Mode = FaultMode.Slow;
        var watch = Stopwatch.StartNew();
        (await _client.GetStringAsync(new Uri("/ping", UriKind.Relative))).ShouldBe("pong");
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(550), "one delay for the request, one for the response");
    }

    [Fact]
    public async Task HttpError_AnswersEveryRequestWithTheGivenResponse()
    {
        _proxy.ErrorResponse = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 4\r\n\r\nbusy";
        _proxy.Mode = FaultMode.HttpError;

        for (var i = 0; i < 2; i++)
        {
            using var response = await _client.GetAsync(new Uri("/ping", UriKind.Relative));
            response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(7));
            (await response.Content.ReadAsStringAsync()).ShouldBe("busy");
        }

        _proxy.Mode = FaultMode.Pass;
        (await _client.GetStringAsync(new Uri("/ping", UriKind.Relative))).ShouldBe("pong");
    }
}
