using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.Testing;

/// <summary>A real HTTP server on a free 127.0.0.1 port for fakes of external systems (STYLE.md, habit 4).</summary>
public static class LoopbackServer
{
    /// <summary>Starts an app with the endpoints <paramref name="map"/> adds; returns it with its base URL.</summary>
    public static async Task<(WebApplication App, string Url)> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>A request as it arrived on the wire, for a fake to record: headers case-insensitive, the body as text.</summary>
    public static async Task<(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)> ReadAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return (context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers,
            await reader.ReadToEndAsync(context.RequestAborted));
    }

    /// <summary>Holds a reply back by <paramref name="delay"/>; false when the client gave up meanwhile (nothing to answer).</summary>
    public static async Task<bool> DelayAsync(HttpContext context, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await Task.Delay(delay, context.RequestAborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
