using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Aws.Signing;
using Portal.Core.Http;
using Portal.Core.Logs;

namespace Portal.Logs.Elasticsearch;

public static class ElasticsearchLogsExtensions
{
    public const string HealthCheckName = "elasticsearch";

    /// <summary>
    /// The Elasticsearch/OpenSearch log back end from <paramref name="section"/> (<c>Logs:Elasticsearch</c>): options
    /// validated at start-up, the named HttpClient (SigV4-signed when <c>Authentication:Mode</c> is <c>AwsSigV4</c>),
    /// <see cref="ElasticsearchLogSearchBackend"/> as <see cref="ILogSearchBackend"/>, and the
    /// <see cref="HealthCheckName"/> health check with <paramref name="healthCheckTags"/>.
    /// </summary>
    public static IServiceCollection AddElasticsearchLogs(this IServiceCollection services, IConfiguration section, params string[] healthCheckTags)
    {
        services.AddOptions<ElasticsearchOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ElasticsearchOptions>, ElasticsearchOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(ElasticsearchClient.HttpClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan) // RequestTimeout applies per attempt instead.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan) // One long-lived client; the pooled connections are recycled below.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A redirect would carry Portal's credentials (and a SigV4 signature made for another URL) elsewhere.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .AddHttpMessageHandler(() => new ConnectionErrorHandler())
            .ConfigureAdditionalHttpMessageHandlers((handlers, sp) =>
            {
                var options = sp.GetRequiredService<IOptions<ElasticsearchOptions>>().Value;
                if (options.Authentication.Mode == ElasticsearchAuthenticationMode.AwsSigV4)
                {
                    handlers.Add(new AwsSigV4SigningHandler(options.Authentication.Region!, options.Authentication.Service, () => AwsCredentialChain.Default,
                        sp.GetRequiredService<TimeProvider>()));
                }
            });

        services.AddSingleton(sp => new ElasticsearchClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(ElasticsearchClient.HttpClientName),
            sp.GetRequiredService<IOptions<ElasticsearchOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ILogSearchBackend>(sp => new ElasticsearchLogSearchBackend(
            sp.GetRequiredService<ElasticsearchClient>(), sp.GetRequiredService<IOptions<ElasticsearchOptions>>().Value));
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            HealthCheckName,
            sp => new ElasticsearchHealthCheck(sp.GetRequiredService<ElasticsearchClient>()),
            failureStatus: null,
            tags: healthCheckTags));
        return services;
    }
}
