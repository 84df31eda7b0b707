using System.Diagnostics;
using Microsoft.Playwright;
using Portal.Testing;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Starts the built portal on a free loopback port with a fresh data directory (embedded defaults, Development),
/// and one headless Debian Chromium for all tests of the collection.
/// </summary>
public sealed class PortalServerFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private readonly TempDirectory _data = new("portal-e2e");
    private Process? _server;
    private IPlaywright? _playwright;

    public string BaseUrl { get; } = $"http://127.0.0.1:{FreePort.Next()}";

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>The embedded sandbox cluster's kubeconfig, for kubectl (as a user of the portal would use it).</summary>
    public string SandboxKubeconfig => Path.Combine(_data.Path, "sandbox", "kubeconfig");

    /// <summary>The server's settings; the CLI run against the same data directory uses them too.</summary>
    public Dictionary<string, string?> Environment => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["PORTAL_DATA_DIR"] = _data.Path,
        ["SignIn__RevalidateSeconds"] = "5",

        // Every test signs in (mostly as admin) from 127.0.0.1: the limits stay on, but above what the suite needs.
        ["RateLimits__SignInPerAccount"] = "10000",
        ["RateLimits__SignInPerAddress"] = "10000",

        // High-resolution sandbox alarms (10 s periods) read every 2 s: an alarm fires within a minute of a bad deploy.
        ["Alarms__Sandbox__PeriodSeconds"] = "10",
        ["Alarms__PollInterval"] = "00:00:02",

        // Costs sampled every minute: a sample taken while the sandbox's pods were still starting is followed soon.
        ["Costs__SampleInterval"] = "00:01:00",
    };

    public static string ArtifactsDirectory => RepositoryPaths.Combine("tests", "Portal.EndToEnd.Tests", "artifacts");

    public async Task InitializeAsync()
    {
        File.Exists(ChromiumPath).ShouldBeTrue($"{ChromiumPath} is missing: ./test.sh installs Debian's chromium package.");
        _server = Process.Start(PortalProcess.StartInfo(["--urls", BaseUrl], Environment))!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        await WaitUntilReadyAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        _data.Dispose();
    }

    private Task WaitUntilReadyAsync() => PortalProcess.WaitUntilReadyAsync(_server!, BaseUrl);
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalServerFixture>
{
    public const string Name = "portal";
}
