using Portal.Infrastructure;
using Portal.Infrastructure.Jobs;
using Portal.Web.Api;
using Portal.Web.Cli;
using Portal.Web.Clusters;
using Portal.Web.Components;
using Portal.Web.Features;
using Portal.Web.Features.Alarms;
using Portal.Web.Features.Costs;
using Portal.Web.Features.Logs;
using Portal.Web.Hosting;
using Portal.Web.SignIn;

// Admin subcommands (migrate, tokens, healthcheck, help) share the host the server runs on; see Cli/PortalCommands.cs.
return await PortalCommands.RunAsync(args, BuildApp);

static WebApplication BuildApp(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddPortalSettingsFiles();   // appsettings next to the binary, whatever the working directory; PORTAL_DATA_DIR
    builder.AddPortalDefaultUrls();     // http://localhost:5080 unless --urls or ASPNETCORE_* says otherwise
    builder.AddPortalDatabase();        // Data, Database, Seed, Environments, SignIn:Local: storage and the use cases on it
    builder.AddPortalClusters();        // Kubernetes, Provisioning: clusters from kubeconfigs or in-cluster, or the embedded sandbox
    builder.AddPortalJobs();            // Jobs: Quartz on SQLite or clustered on PostgreSQL, running provisioning jobs
    builder.AddPortalLogs();            // Logs: the embedded store (fed by the sandbox and /ingest/_bulk) or Elasticsearch/OpenSearch
    builder.AddPortalAlarms();          // Alarms, Aws: CloudWatch alarms and CloudTrail in AWS accounts, or the sandbox's; triage
    builder.AddPortalCosts();           // Costs: prices per cluster, a sample of every cluster each slot, idle and budget thresholds
    builder.AddPortalSignIn();          // SignIn: cookie sessions (local or OIDC), personal access tokens, authorization
    builder.AddPortalSecurity();        // Security, RateLimits: headers and CSP, cookie rules, trusted proxies, sign-in and bad-token limits
    builder.AddPortalHealth();          // /healthz and /readyz
    builder.AddPortalApi();             // /api/v1 with OpenAPI and problem+json
    builder.AddPortalUi();              // Blazor Server, Radzen, theme, environment context
    builder.AddPortalFeatures();        // every feature's navigation entry and services

    var app = builder.Build();

    app.UsePortalPipeline();
    app.MapPortalHealth();
    app.MapPortalAccount();
    app.MapPortalApi();
    app.MapIngestApi();                 // /ingest: Elasticsearch's _bulk for log shippers, with ingest tokens
    app.MapPortalUi<App>();

    return app;
}

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
