using System.Net;
using System.Net.Http.Headers;
using Portal.Testing;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Cli;

public sealed class TokensCommandTests : IDisposable
{
    private readonly TempDirectory _data = new("portal-tokens");

    private Dictionary<string, string?> Environment => new() { ["PORTAL_DATA_DIR"] = _data.Path, ["DOTNET_ENVIRONMENT"] = "Development" };

    [Fact]
    public async Task Create_PrintsTheTokenAloneOnTheLastLineAndItWorks()
    {
        var result = await PortalProcess.RunAsync(["tokens", "create", "--user", "dev", "--name", "deploy-bot", "--expires", "7d"], Environment);

        result.ExitCode.ShouldBe(0, result.Stderr);
        var token = result.Stdout.TrimEnd().Split('\n')[^1];
        token.ShouldStartWith("ptl_");
        token.ShouldNotContain(" ");

        using var app = PortalAppFactory.ForDataDirectory(_data.Path);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var me = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await me.Content.ReadAsStringAsync()).ShouldContain("\"userName\":\"dev\"");
    }

    [Theory]
    [InlineData(new[] { "tokens", "create" }, "--user is required")]
    [InlineData(new[] { "tokens", "create", "--user", "dev", "--expires", "soon" }, "--expires: 'soon'")]
    [InlineData(new[] { "tokens", "create", "--user", "nobody" }, "--user: no active user named 'nobody'")]
    [InlineData(new[] { "tokens", "create", "--user", "dev", "--expires", "999d" }, "expiresInDays")]
    [InlineData(new[] { "tokens", "list" }, "use 'tokens create")]
    public async Task BadArguments_OneLineAndExit2(string[] args, string expected)
    {
        var result = await PortalProcess.RunAsync(args, Environment);

        result.ExitCode.ShouldBe(2, result.Stdout + result.Stderr);
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(expected);
    }

    public void Dispose() => _data.Dispose();
}
