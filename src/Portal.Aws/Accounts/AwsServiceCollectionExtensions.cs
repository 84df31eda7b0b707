using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Aws.CloudTrail;
using Portal.Aws.CloudWatch;
using Portal.Aws.Protocol;
using Portal.Aws.SdkBridge;
using Portal.Core.Alarms;
using Portal.Core.Http;

namespace Portal.Aws.Accounts;

public static class AwsServiceCollectionExtensions
{
    public const string HealthCheckName = "aws";

    /// <summary>
    /// CloudWatch alarms and CloudTrail events from the accounts in <paramref name="section"/> (<c>Aws</c>): options
    /// validated at start-up, <see cref="CloudWatchAlarmSource"/> as <see cref="IAlarmSource"/>,
    /// <see cref="CloudTrailChangeTrail"/> as <see cref="IChangeTrail"/>, and the <see cref="HealthCheckName"/> health check.
    /// </summary>
    public static IServiceCollection AddPortalAws(this IServiceCollection services, IConfiguration section, params string[] healthCheckTags)
    {
        services.AddOptions<AwsOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsOptions>, AwsOptionsValidator>());
        return services.AddAwsAdapters(
            (sp, factory) => sp.GetRequiredService<IOptions<AwsOptions>>().Value.Accounts.Select(factory.FromOptions).ToList(),
            healthCheckTags);
    }

    /// <summary>
    /// The same adapters over accounts the host supplies itself, e.g. the embedded sandbox's loopback endpoints with
    /// static <c>BasicAWSCredentials</c>. Retries and timeouts come from <see cref="AwsOptions"/>' defaults unless configured.
    /// </summary>
    public static IServiceCollection AddPortalAws(this IServiceCollection services, IReadOnlyList<AwsAccount> accounts, params string[] healthCheckTags)
    {
        services.AddOptions<AwsOptions>();
        return services.AddAwsAdapters((_, _) => accounts, healthCheckTags);
    }

    private static IServiceCollection AddAwsAdapters(this IServiceCollection services, Func<IServiceProvider, AwsClientFactory, IReadOnlyList<AwsAccount>> accounts,
        string[] healthCheckTags)
    {
        services.AddAwsClientFactory();
        services.TryAddSingleton(sp =>
        {
            var factory = sp.GetRequiredService<AwsClientFactory>();
            return new AwsAccounts(accounts(sp, factory).Select(factory.Create).ToList());
        });
        services.TryAddSingleton(sp => new CloudWatchAlarmSource(
            sp.GetRequiredService<AwsAccounts>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<CloudWatchAlarmSource>>()));
        // Added, not tried: whatever fallback the host registered before, calling this means AWS is the source.
        services.AddSingleton<IAlarmSource>(sp => sp.GetRequiredService<CloudWatchAlarmSource>());
        services.AddSingleton<IChangeTrail>(sp => new CloudTrailChangeTrail(sp.GetRequiredService<AwsAccounts>()));
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            HealthCheckName,
            sp => new AwsHealthCheck(sp.GetRequiredService<AwsAccounts>()),
            failureStatus: null,
            tags: healthCheckTags));
        return services;
    }

    /// <summary>
    /// Only the clients' plumbing (HTTP, retries, timeouts): for a host that learns its accounts later, such as the
    /// embedded sandbox whose endpoint exists once it has started, and builds the adapters itself with
    /// <see cref="AwsClientFactory.Create"/>.
    /// </summary>
    public static IServiceCollection AddAwsClientFactory(this IServiceCollection services)
    {
        // Before any credential is resolved: the SDK's web identity and SSO providers look their clients up there.
        AwsSdkBridge.Register();
        services.AddOptions<AwsOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(AwsClientFactory.HttpClientName)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan) // The pooled connections are recycled below instead.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A followed redirect would carry a signature made for the first URL.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .AddHttpMessageHandler(() => new ConnectionErrorHandler());

        // Tests replace the policy to observe back-offs without sleeping.
        services.TryAddSingleton(sp => new AwsRetryPolicy(sp.GetRequiredService<IOptions<AwsOptions>>().Value.MaxAttempts, clock: sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new AwsClientFactory(
            sp.GetRequiredService<IHttpMessageHandlerFactory>(),
            sp.GetRequiredService<AwsRetryPolicy>(),
            sp.GetRequiredService<IOptions<AwsOptions>>().Value.RequestTimeout,
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
