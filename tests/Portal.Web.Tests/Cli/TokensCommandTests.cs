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

    [Fact]
    public async Task CreateIngest_TokenShipsToBulkButOpensNoApi()
    {
        var result = await PortalProcess.RunAsync(["tokens", "create", "--ingest", "--name", "fluent-bit-eu1"], Environment);

        result.ExitCode.ShouldBe(0, result.Stderr);
        var token = result.Stdout.TrimEnd().Split('\n')[^1];
        token.ShouldStartWith("pti_");

        using var app = PortalAppFactory.ForDataDirectory(_data.Path);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var bulk = new StringContent("{\"index\":{\"_index\":\"logs-dev\"}}\n{\"log\":\"hello\"}\n", System.Text.Encoding.UTF8, "application/x-ndjson");
        var shipped = await client.PostAsync(new Uri("/ingest/_bulk", UriKind.Relative), bulk);
        shipped.StatusCode.ShouldBe(HttpStatusCode.OK, await shipped.Content.ReadAsStringAsync());
        (await shipped.Content.ReadAsStringAsync()).ShouldContain("\"errors\":false");
        (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(new[] { "tokens", "create", "--ingest" }, "--name is required with --ingest")]
    [InlineData(new[] { "tokens", "create", "--ingest", "--name", "x", "--user", "dev" }, "drop --user and --env")]
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
