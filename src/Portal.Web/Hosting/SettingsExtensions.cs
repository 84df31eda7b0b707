using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Portal.Web.Hosting;

internal static class SettingsExtensions
{
    private const string DefaultUrl = "http://localhost:5080";

    /// <summary>
    /// Reads appsettings.json and appsettings.{Environment}.json from the binary's folder as the lowest layer, so the
    /// app finds its settings when started from the repository root (<c>dotnet run --project src/Portal.Web</c>) or
    /// anywhere else. Files in the content root, environment variables and the command line still override them.
    /// </summary>
    public static IHostApplicationBuilder AddPortalSettingsFiles(this IHostApplicationBuilder builder)
    {
        var baseDirectory = AppContext.BaseDirectory;
        if (string.Equals(Path.GetFullPath(builder.Environment.ContentRootPath).TrimEnd('/'), Path.GetFullPath(baseDirectory).TrimEnd('/'), StringComparison.Ordinal))
        {
            return builder;
        }

        var sources = builder.Configuration.Sources;
        string[] files = ["appsettings.json", $"appsettings.{builder.Environment.EnvironmentName}.json"];
        for (var i = 0; i < files.Length; i++)
        {
            var source = new JsonConfigurationSource
            {
                Path = files[i],
                Optional = true,
                ReloadOnChange = false,
                FileProvider = new PhysicalFileProvider(baseDirectory),
            };
            sources.Insert(i, source);
        }

        return builder;
    }

    /// <summary>Serves on http://localhost:5080 unless --urls, ASPNETCORE_URLS or ASPNETCORE_HTTP(S)_PORTS is set.</summary>
    public static WebApplicationBuilder AddPortalDefaultUrls(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration["urls"] ?? builder.Configuration["http_ports"] ?? builder.Configuration["https_ports"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        return builder;
    }
}
