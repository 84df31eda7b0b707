using System.Text.Json;

namespace Portal.Aws.Protocol;

/// <summary>
/// The AWS JSON protocol (awsJson1_0 and awsJson1_1) for one service and account: <c>POST /</c> with
/// <c>X-Amz-Target: &lt;targetPrefix&gt;.&lt;Operation&gt;</c>, the service's content type, the input shape as
/// JSON, and, for an awsQueryCompatible service, <c>x-amzn-query-mode: true</c>.
/// </summary>
public sealed class AwsJsonClient(AwsTransport transport, AwsJsonService service)
{
    public AwsJsonService Service => service;

    public string Account => transport.Account;

    public async Task<TResponse> SendAsync<TRequest, TResponse>(string operation, TRequest request, CancellationToken ct)
        where TResponse : class =>
        (await SendOrAbsentAsync<TRequest, TResponse>(operation, request, null, ct))!;

    /// <summary>As <see cref="SendAsync{TRequest, TResponse}"/>, but null when the error matches <paramref name="absent"/>.</summary>
    public async Task<TResponse?> SendOrAbsentAsync<TRequest, TResponse>(string operation, TRequest request, Func<AwsServiceError, bool>? absent, CancellationToken ct)
        where TResponse : class
    {
        var call = new AwsCall(transport.Account, service.DisplayName, operation, $"{service.IamPrefix}:{operation}", transport.Endpoint);
        var payload = JsonSerializer.SerializeToUtf8Bytes(request, AwsJson.Options);
        var body = await transport.SendAsync(call, () => Build(operation, payload), ParseError, absent, ct);
        if (body is null)
        {
            return null;
        }

        try
        {
            return body.Length == 0
                ? JsonSerializer.Deserialize<TResponse>("{}"u8, AwsJson.Options)!
                : JsonSerializer.Deserialize<TResponse>(body, AwsJson.Options) ?? throw new JsonException("The response body is null.");
        }
        catch (JsonException ex)
        {
            throw AwsFailures.Malformed(call, ex);
        }
    }

    private HttpRequestMessage Build(string operation, byte[] payload)
    {
        var content = new ByteArrayContent(payload);
        content.Headers.TryAddWithoutValidation("Content-Type", service.ContentType);
        var request = new HttpRequestMessage(HttpMethod.Post, transport.RequestUri) { Content = content };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"{service.TargetPrefix}.{operation}");
        if (service.QueryCompatible)
        {
            request.Headers.TryAddWithoutValidation("x-amzn-query-mode", "true");
        }

        return request;
    }

    private AwsServiceError ParseError(HttpResponseMessage response, byte[] body) =>
        AwsJsonErrorParser.Parse((int)response.StatusCode, name => Header(response, name), body, service.QueryCompatible);

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;
}
