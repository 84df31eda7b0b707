using Portal.Aws.Signing;
using Portal.Core.Alarms;

namespace Portal.Aws.Protocol;

/// <summary>
/// Sends one AWS operation to one account's endpoint, whatever the protocol: a fresh request per attempt (each is
/// signed afresh by the <see cref="AwsSigV4SigningHandler"/> in <see cref="HttpClient"/>'s pipeline), a timeout per
/// attempt, retries as <see cref="AwsRetryPolicy"/> says, and every failure turned into an
/// <see cref="AlarmSourceException"/> by <see cref="AwsFailures"/>.
/// </summary>
public sealed class AwsTransport
{
    private readonly HttpClient _http;
    private readonly AwsRetryPolicy _retry;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeProvider _clock;

    /// <param name="http">A client whose pipeline signs for the service; its own timeout should be infinite.</param>
    /// <param name="account">The account name, for messages.</param>
    /// <param name="endpoint">The service endpoint, e.g. <c>https://monitoring.eu-west-1.amazonaws.com</c>.</param>
    public AwsTransport(HttpClient http, string account, Uri endpoint, AwsRetryPolicy retry, TimeSpan attemptTimeout, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(attemptTimeout, TimeSpan.Zero);
        _http = http;
        Account = account;
        Endpoint = endpoint;
        _retry = retry;
        _attemptTimeout = attemptTimeout;
        _clock = clock;
    }

    public string Account { get; }

    public Uri Endpoint { get; }

    /// <summary>
    /// Where the JSON and query protocols post (their <c>requestUri</c> is <c>/</c>): the endpoint's root, or below
    /// its path when it has one, as botocore does with an <c>endpoint_url</c> that has a path.
    /// </summary>
    public Uri RequestUri => Endpoint.AbsolutePath.EndsWith('/') ? Endpoint : new Uri(Endpoint.AbsoluteUri + "/");

    /// <summary>Sends until success, a final error or the last attempt.</summary>
    /// <param name="build">Creates the request for one attempt.</param>
    /// <param name="parseError">Reads an error response (status, headers, body).</param>
    /// <param name="absent">An error that means "nothing there" rather than a failure: the result is then null.</param>
    /// <returns>The success response's body, or null when <paramref name="absent"/> matched.</returns>
    public async Task<byte[]?> SendAsync(
        AwsCall call,
        Func<HttpRequestMessage> build,
        Func<HttpResponseMessage, byte[], AwsServiceError> parseError,
        Func<AwsServiceError, bool>? absent,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            AwsServiceError? error = null;
            HttpRequestException? unreachable = null;
            using (var request = build())
            using (var timeout = new CancellationTokenSource(_attemptTimeout, _clock))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token))
            {
                try
                {
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
                    var body = await response.Content.ReadAsByteArrayAsync(linked.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return body;
                    }

                    error = parseError(response, body);
                    if (absent?.Invoke(error) == true)
                    {
                        return null;
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    if (attempt >= _retry.MaxAttempts)
                    {
                        throw AwsFailures.TimedOut(call, _attemptTimeout, attempt);
                    }
                }
                catch (HttpRequestException ex)
                {
                    unreachable = ex;
                }
                catch (AwsCredentialsUnavailableException ex)
                {
                    throw AwsFailures.NoCredentials(call, ex);
                }
            }

            if (error is not null && (!AwsRetryPolicy.IsRetryable(error) || attempt >= _retry.MaxAttempts))
            {
                throw AwsFailures.FromError(call, error, attempt);
            }

            if (unreachable is not null && attempt >= _retry.MaxAttempts)
            {
                throw AwsFailures.Unreachable(call, unreachable, attempt);
            }

            await _retry.WaitAsync(attempt, ct);
        }
    }
}
