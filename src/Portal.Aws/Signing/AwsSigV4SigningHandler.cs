using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace Portal.Aws.Signing;

/// <summary>
/// Signs every request that passes through it with AWS Signature Version 4, computed by AWSSDK.Core's own signer
/// (<see cref="AWSSigV4Signer"/>): <c>Authorization</c>, <c>X-Amz-Date</c>, <c>X-Amz-Content-SHA256</c> (the body's
/// SHA-256) and, for temporary credentials, <c>X-Amz-Security-Token</c>. Every header the request carries when it
/// reaches this handler is signed, except those a transport may add or rewrite on the way out.
/// </summary>
/// <remarks>
/// Place it after any retry logic (each attempt is a new message and is signed afresh) and use a primary handler with
/// <c>AllowAutoRedirect = false</c>: a followed redirect would carry a signature made for the first URL. The SDK's own
/// <c>Amazon.Runtime.Signing.SigV4SigningHandler</c> is not used because it takes its inner handler in its constructor,
/// which <c>IHttpClientFactory</c> assigns itself, and has no clock to inject.
/// </remarks>
public sealed class AwsSigV4SigningHandler : DelegatingHandler
{
    /// <summary>Headers left out of the signature: transports and tracing add or change them below this handler.</summary>
    private static readonly HashSet<string> UnsignedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "User-Agent", "Connection", "Expect", "Transfer-Encoding", "Content-Length",
        "traceparent", "tracestate", "baggage", "Request-Id", "X-Amzn-Trace-Id",
    };

    private static readonly string[] SigningHeaders = ["Authorization", "X-Amz-Date", "X-Amz-Content-SHA256", "X-Amz-Security-Token"];

    private readonly RegionEndpoint _region;
    private readonly string _service;
    private readonly Func<AWSCredentials> _credentials;
    private readonly TimeProvider _clock;

    /// <param name="region">The signing region, e.g. <c>eu-west-1</c>.</param>
    /// <param name="service">The signing name: <c>es</c> for Amazon OpenSearch Service, <c>aoss</c> for Serverless.</param>
    /// <param name="credentials">Where credentials come from on each request; <see cref="AwsCredentialChain.Default"/> in production.</param>
    /// <param name="clock">The signing time.</param>
    public AwsSigV4SigningHandler(string region, string service, Func<AWSCredentials> credentials, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        _region = RegionEndpoint.GetBySystemName(region);
        _service = service;
        _credentials = credentials;
        _clock = clock;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is not { IsAbsoluteUri: true } uri)
        {
            throw new InvalidOperationException("A request signed with SigV4 needs an absolute URI.");
        }

        var body = await BufferBodyAsync(request, cancellationToken);
        foreach (var name in SigningHeaders)
        {
            request.Headers.Remove(name);
        }

        var signingRequest = new AWSSigningRequest { HttpMethod = request.Method, RequestUri = uri, Content = body };
        foreach (var (name, values) in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            if (!UnsignedHeaders.Contains(name))
            {
                signingRequest.Headers[name] = string.Join(",", values.Select(v => v.Trim()));
            }
        }

        AWSCredentials credentials;
        try
        {
            credentials = _credentials();
        }
        catch (Exception ex) when (IsCredentialFailure(ex))
        {
            throw new AwsCredentialsUnavailableException(ex);
        }

        var parameters = new AWSSigV4Parameters
        {
            Credentials = credentials,
            Region = _region,
            Service = _service,
            SignPayload = true,
            SignedAt = _clock.GetUtcNow().UtcDateTime,
        };
        AWSSigningResult result;
        try
        {
            result = await AWSSigV4Signer.SignAsync(signingRequest, parameters, cancellationToken);
        }
        catch (Exception ex) when (IsCredentialFailure(ex))
        {
            // Refreshing temporary credentials (web identity, container, IMDS) failed.
            throw new AwsCredentialsUnavailableException(ex);
        }

        foreach (var (name, value) in result.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// What the SDK's credential providers throw when they cannot produce credentials: <see cref="AmazonClientException"/>
    /// in general, and <see cref="InvalidOperationException"/> or <see cref="IOException"/> when, for instance, the web
    /// identity token file cannot be read.
    /// </summary>
    private static bool IsCredentialFailure(Exception ex) => ex is AmazonClientException or InvalidOperationException or IOException;

    /// <summary>Reads the body once to hash it and puts it back as re-readable bytes with the same content headers.</summary>
    private static async Task<byte[]?> BufferBodyAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (request.Content is null)
        {
            return null;
        }

        var bytes = await request.Content.ReadAsByteArrayAsync(ct);
        var buffered = new ByteArrayContent(bytes);
        foreach (var (name, values) in request.Content.Headers)
        {
            if (!string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                buffered.Headers.TryAddWithoutValidation(name, values);
            }
        }

        request.Content.Dispose();
        request.Content = buffered;
        return bytes;
    }
}
