using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace Portal.Sandbox.Tests.Aws;

/// <summary>One answer of the sandbox's AWS endpoint, as the wire carried it.</summary>
internal sealed record AwsAnswer(HttpStatusCode Status, JsonObject Body, string Text, string? ContentType, string? QueryError, string? RequestId);

/// <summary>
/// Sends awsJson requests to the sandbox as the portal's clients do: <c>POST /</c> with <c>X-Amz-Target</c>, signed by
/// AWSSDK.Core's <see cref="AWSSigV4Signer"/> as Portal.Aws's signing handler signs them (every header but the
/// transport's, the payload hashed). Each part of the signing can be made wrong, to see the sandbox refuse it.
/// </summary>
internal sealed class AwsWire(Uri url, string accessKeyId, string secretAccessKey, TimeProvider clock)
{
    public const string CloudWatch = "GraniteServiceVersion20100801";
    public const string CloudTrail = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101";

    public Task<AwsAnswer> CloudWatchAsync(string operation, string json) => CallAsync($"{CloudWatch}.{operation}", json, "monitoring", "application/x-amz-json-1.0");

    public Task<AwsAnswer> CloudTrailAsync(string operation, string json) => CallAsync($"{CloudTrail}.{operation}", json, "cloudtrail", "application/x-amz-json-1.1");

    public async Task<AwsAnswer> CallAsync(string target, string json, string signingName, string contentType, bool sign = true, string? keyId = null, string? secret = null,
        TimeProvider? signedAt = null, string region = "us-east-1", Func<HttpRequestMessage, Task>? afterSigning = null)
    {
        HttpMessageHandler handler = new Tamper(afterSigning) { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } };
        if (sign)
        {
            var credentials = new BasicAWSCredentials(keyId ?? accessKeyId, secret ?? secretAccessKey);
            handler = new Signer(region, signingName, credentials, signedAt ?? clock) { InnerHandler = handler };
        }

        using var http = new HttpClient(handler) { BaseAddress = url };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new AwsAnswer(
            response.StatusCode,
            JsonNode.Parse(text) as JsonObject ?? [],
            text,
            response.Content.Headers.ContentType?.ToString(),
            response.Headers.TryGetValues("x-amzn-query-error", out var query) ? query.Single() : null,
            response.Headers.TryGetValues("x-amzn-RequestId", out var id) ? id.Single() : null);
    }

    private sealed class Signer(string region, string service, AWSCredentials credentials, TimeProvider clock) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            var signing = new AWSSigningRequest { HttpMethod = request.Method, RequestUri = request.RequestUri!, Content = body };
            foreach (var (name, values) in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
            {
                if (name is not ("Content-Length" or "User-Agent"))
                {
                    signing.Headers[name] = string.Join(",", values);
                }
            }

            var parameters = new AWSSigV4Parameters
            {
                Credentials = credentials,
                Region = RegionEndpoint.GetBySystemName(region),
                Service = service,
                SignPayload = true,
                SignedAt = clock.GetUtcNow().UtcDateTime,
            };
            var signed = await AWSSigV4Signer.SignAsync(signing, parameters, cancellationToken);
            foreach (var (name, value) in signed.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Changes a request after it was signed (or not at all).</summary>
    private sealed class Tamper(Func<HttpRequestMessage, Task>? change) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (change is not null)
            {
                await change(request);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
