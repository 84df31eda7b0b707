using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Alarms;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>
/// One app for the alarm pages' tests (they run one class after another in <see cref="AlarmPagesCollection"/>), with
/// the AWS ports scripted by <see cref="ScriptedAlarmSource"/>: each test sets the alarms it needs and reads the
/// pages as the server first renders them. Triage kept in the database lasts across tests, so each test names its own alarms.
/// </summary>
public sealed class AlarmPagesFixture : IDisposable
{
    private readonly PortalAppFactory _app = new();

    public AlarmPagesFixture() => Factory = _app.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
    {
        s.AddSingleton<IAlarmSource>(Source);
        s.AddSingleton<IChangeTrail>(Source);
    }));

    public ScriptedAlarmSource Source { get; } = new();

    /// <summary>The app (Development settings, data in a temp directory) with the ports replaced.</summary>
    public WebApplicationFactory<Program> Factory { get; }

    /// <summary>Replaces the alarms (and clears history, metric, trail and failure), then has the feed read them.</summary>
    public async Task SetAlarmsAsync(params Alarm[] alarms)
    {
        Source.Failure = null;
        Source.Alarms.Clear();
        Source.History.Clear();
        Source.Events.Clear();
        Source.Metric = null;
        foreach (var alarm in alarms)
        {
            Source.Alarms[alarm.Name] = alarm;
        }

        await ReadAsync();
    }

    /// <summary>One read of the alarms by the app's feed, as its poller does.</summary>
    public Task ReadAsync() => Factory.Services.GetRequiredService<IAlarmFeed>().RefreshAsync(CancellationToken.None);

    public async Task<IDocument> PageAsync(HttpClient client, string url) =>
        new HtmlParser().ParseDocument(await client.GetStringAsync(new Uri(url, UriKind.Relative)));

    public void Dispose()
    {
        Factory.Dispose();
        _app.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class AlarmPagesCollection : ICollectionFixture<AlarmPagesFixture>
{
    public const string Name = "alarm pages";
}
