using System.Net;
using System.Net.Sockets;
using Portal.Core.Http;

namespace Portal.Core.Tests.Http;

public sealed class ConnectionErrorHandlerTests
{
    private sealed class Inner(Func<HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(answer());

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) => answer();
    }

    private static HttpClient Client(Func<HttpResponseMessage> answer) => new(new ConnectionErrorHandler(new Inner(answer)));

    private static Uri Target => new("https://cluster.example:6443/api/v1/namespaces");

    [Fact]
    public async Task SendAsync_BareSocketException_BecomesAConnectionErrorNamingTheHost()
    {
        var reset = new SocketException((int)SocketError.ConnectionReset);
        using var client = Client(() => throw reset);

        var error = await Should.ThrowAsync<HttpRequestException>(() => client.GetAsync(Target));

        error.HttpRequestError.ShouldBe(HttpRequestError.ConnectionError);
        error.InnerException.ShouldBeSameAs(reset);
        error.Message.ShouldBe($"{reset.Message} (cluster.example:6443)");
    }

    [Fact]
    public void Send_BareSocketException_BecomesAConnectionError()
    {
        using var client = Client(() => throw new SocketException((int)SocketError.ConnectionRefused));

        var error = Should.Throw<HttpRequestException>(() => client.Send(new HttpRequestMessage(HttpMethod.Get, Target)));

        error.HttpRequestError.ShouldBe(HttpRequestError.ConnectionError);
        error.InnerException.ShouldBeOfType<SocketException>().SocketErrorCode.ShouldBe(SocketError.ConnectionRefused);
    }

    [Fact]
    public async Task SendAsync_OtherFailures_PassUntouched()
    {
        var wrapped = new HttpRequestException(HttpRequestError.SecureConnectionError, "handshake failed", new IOException("reset"));
        using (var client = Client(() => throw wrapped))
        {
            (await Should.ThrowAsync<HttpRequestException>(() => client.GetAsync(Target))).ShouldBeSameAs(wrapped);
        }

        using (var client = Client(() => throw new IOException("the response ended")))
        {
            (await Should.ThrowAsync<IOException>(() => client.GetAsync(Target))).Message.ShouldBe("the response ended");
        }
    }

    [Fact]
    public async Task SendAsync_Answer_PassesThrough()
    {
        using var client = Client(() => new HttpResponseMessage(HttpStatusCode.Accepted));

        using var response = await client.GetAsync(Target);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }
}
