using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Testing;

namespace Portal.Web.Tests.Hosting;

/// <summary>
/// The real app in-process (TestServer), Development settings (demo users and environments), its data in a
/// temp directory (or a given one), settings overridable per test, and optionally a clock the test moves.
/// </summary>
public sealed class PortalAppFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory? _data;

    public PortalAppFactory()
    {
        _data = new TempDirectory("portal-web");
        DataDirectory = _data.Path;
    }

    private PortalAppFactory(string dataDirectory) => DataDirectory = dataDirectory;

    /// <summary>An app on an existing data directory, e.g. one a CLI subcommand just wrote to.</summary>
    public static PortalAppFactory ForDataDirectory(string dataDirectory) => new(dataDirectory);

    public Dictionary<string, string?> Settings { get; } = [];

    private static readonly Dictionary<string, string> HighRateLimits = new()
    {
        ["RateLimits:SignInPerAccount"] = "100000",
        ["RateLimits:SignInPerAddress"] = "100000",
        ["RateLimits:BadCredentialsPerAddress"] = "100000",
    };

    public string DataDirectory { get; }

    /// <summary>Replaces services (a port's adapter with a test double) when set before the first request.</summary>
    public Action<IServiceCollection>? ReplaceServices { get; set; }

    /// <summary>Replaces the app's TimeProvider when set before the first request.</summary>
    public FakeClock? Clock { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");

        // UseSetting, not ConfigureAppConfiguration: settings that registration reads (SignIn:Mode decides which
        // schemes exist) must be there while Program builds, as they are in a real start.
        builder.UseSetting("Data:Directory", DataDirectory);

        // The embedded cluster starts only for the tests that ask for it (Kubernetes:Sandbox:Enabled=true).
        if (!Settings.ContainsKey("Kubernetes:Sandbox:Enabled"))
        {
            builder.UseSetting("Kubernetes:Sandbox:Enabled", "false");
        }

        // Suites sign in and send bad tokens many times from one (TestServer: unknown) address: the limits stay on
        // but high, unless a test sets its own.
        foreach (var (key, value) in HighRateLimits)
        {
            if (!Settings.ContainsKey(key))
            {
                builder.UseSetting(key, value);
            }
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        if (Clock is { } clock)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock));
        }

        if (ReplaceServices is { } replace)
        {
            builder.ConfigureTestServices(replace);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _data?.Dispose();
        }
    }
}
