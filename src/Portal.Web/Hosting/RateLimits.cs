using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Portal.Web.SignIn;

namespace Portal.Web.Hosting;

/// <summary>
/// The <c>RateLimits</c> section: password sign-ins limited per account and per client address by the framework's
/// rate limiter (every attempt counts, it runs before the endpoint), and calls with bad tokens per address by
/// <see cref="BadCredentialThrottle"/> (only refused tokens count, which only the token check can tell).
/// </summary>
internal static partial class RateLimits
{
    /// <summary>The posted user name is cut here before it names a partition: a long name must not cost memory.</summary>
    private const int MaxAccountKeyLength = 200;

    public static IHostApplicationBuilder AddPortalRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().Bind(builder.Configuration.GetSection(RateLimitOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        builder.Services.AddSingleton<BadCredentialThrottle>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) =>
        {
            var l = limits.Value;
            // By address first: an address over its limit does not make a partition for every name it invents.
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsPasswordSignIn(context)
                    ? Window("address:" + ClientAddress.Of(context), l.SignInPerAddress, l.SignInWindow)
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsPasswordSignIn(context)
                    ? Window("account:" + PostedAccount(context), l.SignInPerAccount, l.SignInWindow)
                    : RateLimitPartition.GetNoLimiter("")));
            o.OnRejected = (rejected, _) => SignInRefusedAsync(rejected.HttpContext, rejected.Lease, l.SignInWindow);
        });
        return builder;
    }

    /// <summary>
    /// Reads the sign-in form before the limiter (whose partitioner cannot wait for the body) so that the account is
    /// known; the endpoint reads the same, cached form.
    /// </summary>
    public static IApplicationBuilder UseSignInRateLimits(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (IsPasswordSignIn(context) && context.Request.HasFormContentType)
            {
                try
                {
                    await context.Request.ReadFormAsync(context.RequestAborted);
                }
                catch (InvalidDataException)
                {
                    // A malformed or oversized form is limited under the empty name and refused by the endpoint.
                }
            }

            await next(context);
        });
        return app.UseRateLimiter();
    }

    /// <summary>
    /// After authentication: a request with a bearer token the token handler refused is counted, and answered 429
    /// problem+json once its address is over the allowance (else it goes on to its usual 401). <c>/ingest</c> checks
    /// its own kind of token and counts in IngestApi.
    /// </summary>
    public static IApplicationBuilder UseBadCredentialThrottle(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (PortalTokenAuthenticationHandler.HasBearerToken(context.Request)
            && !context.Request.Path.StartsWithSegments("/ingest"))
        {
            var result = await context.AuthenticateAsync(SignInExtensions.PortalScheme);
            if (result.Failure is not null
                && context.RequestServices.GetRequiredService<BadCredentialThrottle>().CountAndRefuse(context) is { } after)
            {
                BadCredentialThrottle.SetRetryAfter(context.Response, after);
                await ApiProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests",
                    "Too many calls with an unknown, revoked or expired token came from your address. Wait as Retry-After says, and check the token.");
                return;
            }
        }

        await next(context);
    });

    private static bool IsPasswordSignIn(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method)
        && context.Request.Path.Equals(AccountEndpoints.SignInPath, StringComparison.OrdinalIgnoreCase);

    private static string PostedAccount(HttpContext context)
    {
        var name = context.Features.Get<IFormFeature>()?.Form?["UserName"].ToString().Trim() ?? "";
        return (name.Length > MaxAccountKeyLength ? name[..MaxAccountKeyLength] : name).ToLowerInvariant();
    }

    private static RateLimitPartition<string> Window(string key, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });

    /// <summary>
    /// 429 with Retry-After and a page that says so in words (the form posts here, so this is what the person sees).
    /// Not audited: a refused attempt never reaches the password check, and writing a record for each one would let
    /// a flood fill the audit trail; the log names the address, never the typed name (it may be a password).
    /// </summary>
    private static async ValueTask SignInRefusedAsync(HttpContext context, RateLimitLease lease, TimeSpan window)
    {
        var after = lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : window;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits));
        LogSignInRefused(logger, ClientAddress.Of(context));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        BadCredentialThrottle.SetRetryAfter(context.Response, after);
        context.Response.ContentType = "text/html; charset=utf-8";
        var minutes = Math.Max(1, (int)Math.Ceiling(after.TotalMinutes));
        await context.Response.WriteAsync(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\" /><title>Too many sign-in attempts · Portal</title>" +
            "<link rel=\"stylesheet\" href=\"/app.css\" /></head><body><main class=\"account-throttled\" data-testid=\"sign-in-throttled\">" +
            "<h1>Too many sign-in attempts</h1>" +
            $"<p role=\"alert\">There were too many sign-in attempts for this account or from your address. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}.</p>" +
            "<p><a href=\"/account/login\">Back to sign in</a></p></main></body></html>",
            context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in attempt from {Address} refused: over the RateLimits:SignIn limits.")]
    private static partial void LogSignInRefused(ILogger logger, string address);
}
