using System.Globalization;

namespace Portal.Web.Cli;

/// <summary>Used by the container's HEALTHCHECK, where no curl is installed.</summary>
internal static class HealthcheckCommand
{
    public static async Task<int> RunAsync(CommandContext context)
    {
        var port = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS")?.Split(';', ',')[0] ?? "8080";
        var url = context.Args.FirstOrDefault(a => !a.StartsWith('-'))
            ?? string.Create(CultureInfo.InvariantCulture, $"http://localhost:{port}/healthz");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            await Console.Error.WriteLineAsync($"portal: healthcheck: '{url}' is not an absolute URL.");
            return PortalCommands.Usage;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(uri);
            await Console.Out.WriteLineAsync($"{uri}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? PortalCommands.Ok : PortalCommands.Failed;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"portal: healthcheck: {uri}: {ex.Message}");
            return PortalCommands.Failed;
        }
    }
}
