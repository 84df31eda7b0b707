using Portal.Testing;

namespace Portal.Web.Tests.Cli;

/// <summary>The container HEALTHCHECK's command against a portal served by the same binary.</summary>
public sealed class HealthcheckCommandTests : IDisposable
{
    private readonly TempDirectory _data = new("portal-health");

    [Fact]
    public async Task Healthcheck_RunningPortal_Exit0_NothingListening_Exit1()
    {
        var port = FreePort.Next();
        var url = $"http://127.0.0.1:{port}";
        var environment = new Dictionary<string, string?> { ["PORTAL_DATA_DIR"] = _data.Path, ["ASPNETCORE_ENVIRONMENT"] = "Development" };

        (await PortalProcess.RunAsync(["healthcheck", $"{url}/healthz"], environment)).ExitCode.ShouldBe(1);

        using var server = System.Diagnostics.Process.Start(PortalProcess.StartInfo(["--urls", url], environment))!;
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            PortalProcess.Result result;
            do
            {
                await Task.Delay(500);
                result = await PortalProcess.RunAsync(["healthcheck", $"{url}/healthz"], environment);
            }
            while (result.ExitCode != 0 && DateTime.UtcNow < deadline);

            result.ExitCode.ShouldBe(0, result.Stderr);
            result.Stdout.ShouldContain(": 200");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    public void Dispose() => _data.Dispose();
}
