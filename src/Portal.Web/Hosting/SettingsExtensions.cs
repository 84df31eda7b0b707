using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
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
        MapDataDirectoryVariable(builder);
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

    /// <summary>
    /// <c>PORTAL_DATA_DIR</c> is <c>Data:Directory</c>'s short form: it overrides the settings files, while
    /// <c>Data__Directory</c> and <c>--Data:Directory</c> still override it.
    /// </summary>
    private static void MapDataDirectoryVariable(IHostApplicationBuilder builder)
    {
        if (Environment.GetEnvironmentVariable(Infrastructure.Storage.DataOptions.DirectoryVariable) is not { Length: > 0 } directory)
        {
            return;
        }

        var sources = builder.Configuration.Sources;
        var index = sources.Select((s, i) => (s, i)).FirstOrDefault(x => x.s is EnvironmentVariablesConfigurationSource { Prefix: null or "" }).i;
        sources.Insert(index, new MemoryConfigurationSource
        {
            InitialData = [new("Data:Directory", directory)],
        });
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
