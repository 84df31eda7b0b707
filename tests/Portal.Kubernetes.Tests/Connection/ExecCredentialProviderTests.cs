using Portal.Kubernetes.Connection;
using Portal.Testing;

namespace Portal.Kubernetes.Tests.Connection;

/// <summary>Runs real plugin processes (small shell scripts standing in for `aws eks get-token`).</summary>
public sealed class ExecCredentialProviderTests : IDisposable
{
    private static readonly Uri Server = new("https://eks.example");
    private readonly TempDirectory _dir = new("exec-plugin");
    private readonly FakeClock _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task GetAsync_CachesUntilShortlyBeforeExpiry()
    {
        var plugin = CountingPlugin($",\"expirationTimestamp\":\"{_clock.GetUtcNow().AddMinutes(15):yyyy-MM-ddTHH:mm:ssZ}\"");
        var provider = new ExecCredentialProvider(_clock);

        (await provider.GetAsync(plugin, Server, CancellationToken.None)).Token.ShouldBe("t-1");
        (await provider.GetAsync(plugin, Server, CancellationToken.None)).Token.ShouldBe("t-1");
        _clock.Advance(TimeSpan.FromMinutes(14.9));
        (await provider.GetAsync(plugin, Server, CancellationToken.None)).Token.ShouldBe("t-2", "inside the skew before expiry it asks again");
    }

    [Fact]
    public async Task GetAsync_NoExpiry_CachedUntilInvalidated()
    {
        var plugin = CountingPlugin("");
        var provider = new ExecCredentialProvider(_clock);

        (await provider.GetAsync(plugin, Server, CancellationToken.None)).Token.ShouldBe("t-1");
        _clock.Advance(TimeSpan.FromDays(1));
        (await provider.GetAsync(plugin, Server, CancellationToken.None)).Token.ShouldBe("t-1");
        provider.Invalidate(plugin);
        (await provider.GetAsync(plugin, Server, CancellationToken.None)).Token.ShouldBe("t-2");
    }

    [Fact]
    public async Task GetAsync_PassesEnvAndClusterInfo()
    {
        var plugin = Plugin("""
            echo "{\"kind\":\"ExecCredential\",\"status\":{\"token\":\"$AWS_PROFILE\"}}"
            echo "$KUBERNETES_EXEC_INFO" > info.json
            """) with { Env = new Dictionary<string, string> { ["AWS_PROFILE"] = "platform" }, ProvideClusterInfo = true };

        var credential = await new ExecCredentialProvider(_clock).GetAsync(plugin, Server, CancellationToken.None);

        credential.Token.ShouldBe("platform");
        var info = await File.ReadAllTextAsync(_dir.File("info.json"));
        info.ShouldContain("\"kind\":\"ExecCredential\"");
        info.ShouldContain("\"server\":\"https://eks.example/\"");
        info.ShouldContain("\"interactive\":false");
    }

    [Theory]
    [InlineData("echo 'ExpiredToken: the security token included in the request is expired' >&2; exit 3", "exited with 3: ExpiredToken: the security token")]
    [InlineData("echo 'not json'", "not an ExecCredential")]
    [InlineData("echo '{\"kind\":\"ExecCredential\",\"status\":{}}'", "neither a token nor a client certificate")]
    public async Task GetAsync_PluginFails_SaysHow(string script, string expected)
    {
        var ex = await Should.ThrowAsync<ExecCredentialException>(() => new ExecCredentialProvider(_clock).GetAsync(Plugin(script), Server, CancellationToken.None));

        ex.Message.ShouldContain(expected);
    }

    [Fact]
    public async Task GetAsync_MissingCommand_SaysItCouldNotStart()
    {
        var plugin = new ExecPlugin("client.authentication.k8s.io/v1", "/no/such/plugin", [], new Dictionary<string, string>(), false, _dir.Path);

        (await Should.ThrowAsync<ExecCredentialException>(() => new ExecCredentialProvider(_clock).GetAsync(plugin, Server, CancellationToken.None)))
            .Message.ShouldContain("could not be started");
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>A plugin whose token is t-1, t-2, … by how often it ran; <paramref name="moreStatus"/> is appended to its status.</summary>
    private ExecPlugin CountingPlugin(string moreStatus) => Plugin($$$"""
        n=$(cat "{{{_dir.File("count")}}}" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "{{{_dir.File("count")}}}"
        echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t-'$n'"{{{moreStatus}}}}}'
        """);

    private ExecPlugin Plugin(string body)
    {
        var script = _dir.File($"plugin-{Guid.NewGuid():N}.sh");
        File.WriteAllText(script, "#!/usr/bin/env bash\nset -e\n" + body.Replace("\r", "", StringComparison.Ordinal) + "\n");
        return new ExecPlugin("client.authentication.k8s.io/v1", "bash", [script], new Dictionary<string, string>(), false, _dir.Path);
    }
}
