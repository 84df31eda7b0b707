using Portal.Infrastructure;
using Portal.Web.Cli;
using Portal.Web.Components;
using Portal.Web.Features;
using Portal.Web.Hosting;

// Admin subcommands (migrate, healthcheck, help) share the host the server runs on; see Cli/PortalCommands.cs.
return await PortalCommands.RunAsync(args, BuildApp);

static WebApplication BuildApp(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddPortalSettingsFiles();   // appsettings next to the binary, whatever the working directory
    builder.AddPortalDefaultUrls();     // http://localhost:5080 unless --urls or ASPNETCORE_* says otherwise
    builder.AddPortalDatabase();        // Data, Database, Seed: EF Core on SQLite or PostgreSQL, migrated at start-up
    builder.AddPortalHealth();          // /healthz and /readyz
    builder.AddPortalUi();              // Blazor Server, Radzen, theme, environment context
    builder.AddPortalFeatures();        // every feature's navigation entry and services

    var app = builder.Build();

    app.UsePortalPipeline();
    app.MapPortalHealth();
    app.MapPortalUi<App>();

    return app;
}

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
