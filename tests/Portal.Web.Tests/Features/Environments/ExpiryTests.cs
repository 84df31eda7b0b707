using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Audit;
using Portal.Core.Environments;
using Portal.Testing;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Environments;

/// <summary>
/// Ephemeral environments end by themselves: at expiry the scheduler's sweep destroys them, on a clock the test
/// moves, and a restart in between changes nothing (the expiry lives in the database).
/// </summary>
public sealed class ExpiryTests : IDisposable
{
    private readonly TempDirectory _data = new("portal-expiry");
    // Starts at the real time: the scheduler's triggers are set on this clock, and one set in the real past counts as
    // misfired and is skipped (a fixed date made this test pass in the morning and fail after midday).
    private readonly FakeClock _clock = new(DateTimeOffset.UtcNow);

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Sweep_PastExpiryAfterARestart_DestroysTheEnvironmentUnderThePortalsName()
    {
        using (var first = App())
        {
            using var admin = await first.SignInAsync("admin");
            (await admin.PostAsJsonAsync("/api/v1/environments", new { name = "pr-ttl", displayName = "Short-lived", tier = "dev", owningTeam = "t", costCentre = "c", timeToLiveHours = 2 }))
                .StatusCode.ShouldBe(HttpStatusCode.Created);
            (await WaitForStatusAsync(admin, "pr-ttl", "ready")).ShouldBe("ready");

            // An hour before expiry: still there, and its owner is warned.
            _clock.Advance(TimeSpan.FromMinutes(61));
            var expiry = first.Services.GetRequiredService<EnvironmentExpiry>();
            var environment = await first.Services.GetRequiredService<EnvironmentService>().FindAsync("pr-ttl", CancellationToken.None);
            expiry.Notices([environment!]).ShouldHaveSingleItem().Urgent.ShouldBeTrue();
            (await expiry.DestroyExpiredAsync(CancellationToken.None)).ShouldBeEmpty();
        }

        // The portal is down when the environment expires, and comes back later.
        _clock.Advance(TimeSpan.FromHours(2));
        using var second = App();
        using var client = await second.SignInAsync("admin");
        (await WaitForStatusAsync(client, "pr-ttl", "destroyed")).ShouldBe("destroyed");

        var audit = await second.Services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery { Environment = "pr-ttl", Action = "environments.expire" }, null, true, CancellationToken.None);
        var record = audit.Records.ShouldHaveSingleItem();
        record.Actor.ShouldBe("portal-scheduler");
        record.Outcome.ShouldBe(AuditOutcome.Succeeded);
        using var jobs = JsonDocument.Parse(await client.GetStringAsync("/api/v1/jobs?environment=pr-ttl&kind=environment.destroy"));
        jobs.RootElement.GetProperty("items")[0].GetProperty("requestedBy").GetString().ShouldBe("portal-scheduler");
    }

    private PortalAppFactory App()
    {
        var app = PortalAppFactory.ForDataDirectory(_data.Path);
        app.Clock = _clock;
        app.Settings["Kubernetes:Sandbox:Enabled"] = "true";
        app.Settings["Jobs:SweepInterval"] = "00:00:00.5";
        return app;
    }

    private static async Task<string?> WaitForStatusAsync(HttpClient client, string name, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? current = null;
        while (DateTime.UtcNow < deadline)
        {
            using var doc = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/environments/{name}"));
            current = doc.RootElement.GetProperty("status").GetString();
            if (current == status)
            {
                return current;
            }

            await Task.Delay(200);
        }

        return current;
    }
}
