using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Portal.Web.Hosting;

/// <summary>
/// Counts calls whose token turned out unknown, revoked or expired, per client address, and refuses the ones over
/// <see cref="RateLimitOptions.BadCredentialsPerAddress"/> with 429 and Retry-After. A call is counted only after its
/// token was checked, so valid calls never use up the allowance, and a valid call from a throttled address still
/// works: one misconfigured shipper must not lock out every other client behind the same NAT (tokens are random
/// enough that answering a right guess is no oracle).
/// </summary>
public sealed class BadCredentialThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly TimeSpan _window;

    public BadCredentialThrottle(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        _window = limits.BadCredentialsWindow;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = limits.BadCredentialsPerAddress, Window = limits.BadCredentialsWindow, QueueLimit = 0 }));
    }

    /// <summary>Counts one bad call of the request's client; the wait before trying again when it is one too many.</summary>
    public TimeSpan? CountAndRefuse(HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire(ClientAddress.Of(context));
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : _window;
    }

    /// <summary>Retry-After in whole seconds, rounded up (RFC 9110 delay-seconds).</summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan after) =>
        response.Headers.RetryAfter = ((long)Math.Ceiling(Math.Max(after.TotalSeconds, 1))).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _limiter.Dispose();
}
