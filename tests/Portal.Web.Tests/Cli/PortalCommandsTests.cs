using Microsoft.Data.Sqlite;
using Portal.Testing;

namespace Portal.Web.Tests.Cli;

/// <summary>The binary's subcommands and start-up errors, run as a real process.</summary>
public sealed class PortalCommandsTests : IDisposable
{
    private readonly TempDirectory _data = new("portal-cli");

    private Dictionary<string, string?> Environment => new()
    {
        ["PORTAL_DATA_DIR"] = _data.Path,
        ["DOTNET_ENVIRONMENT"] = "Development",
    };

    [Fact]
    public async Task Migrate_FreshDataDirectory_CreatesDatabaseAndExits0()
    {
        var result = await PortalProcess.RunAsync(["migrate"], Environment);

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("applied 0001_environments");
        await using var connection = new SqliteConnection($"Data Source={_data.File("portal.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM schema_versions";
        Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Migrate_SecondRun_SaysSchemaIsCurrent()
    {
        (await PortalProcess.RunAsync(["migrate"], Environment)).ExitCode.ShouldBe(0);

        var again = await PortalProcess.RunAsync(["migrate"], Environment);

        again.ExitCode.ShouldBe(0);
        again.Stdout.ShouldContain("schema is current");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task Help_ListsEverySubcommand(string flag)
    {
        var result = await PortalProcess.RunAsync([flag], Environment);

        result.ExitCode.ShouldBe(0);
        foreach (var name in new[] { "serve", "migrate", "healthcheck", "help" })
        {
            result.Stdout.ShouldContain($"  {name} ");
        }
    }

    [Fact]
    public async Task UnknownSubcommand_OneLineAndExit2()
    {
        var result = await PortalProcess.RunAsync(["frobnicate"], Environment);

        result.ExitCode.ShouldBe(2);
        result.Stderr.Trim().ShouldBe("portal: unknown subcommand 'frobnicate'. Run with --help to list the subcommands.");
    }

    [Theory]
    [InlineData("Database__Provider", "Oracle", "Database:Provider: 'Oracle' is not a known provider")]
    [InlineData("Database__ConnectionString", "Data Source=x.db;Bogus=1", "Database:ConnectionString: is not a valid Sqlite connection string")]
    [InlineData("Database__MigrateOnStartup", "maybe", "Database:MigrateOnStartup")]
    [InlineData("Seed__Environments__0__Tier", "qa", "Seed:Environments:0:Tier: 'qa' is not a tier")]
    public async Task BadSetting_ServeAndMigrate_OneLineNamingTheKeyAndExit2(string variable, string value, string expected)
    {
        var environment = Environment;
        environment[variable] = value;

        foreach (var args in new[] { Array.Empty<string>(), ["migrate"] })
        {
            var result = await PortalProcess.RunAsync(args, environment);

            result.ExitCode.ShouldBe(2, $"args: {string.Join(' ', args)}; stderr: {result.Stderr}");
            var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.Length.ShouldBe(1, result.Stderr);
            lines[0].ShouldContain(expected);
            result.Stderr.ShouldNotContain("   at ");
        }
    }

    [Theory]
    [InlineData("clusters: [ { name: a", "not valid YAML")]
    [InlineData("apiVersion: v1\nkind: Config\ncurrent-context: nowhere\n", "there is no context named 'nowhere'")]
    public async Task MalformedKubeconfig_StartFailsWithOneLineNamingTheFile(string content, string problem)
    {
        var kubeconfig = _data.File("broken-kubeconfig.yaml");
        await File.WriteAllTextAsync(kubeconfig, content.Replace("\\n", "\n", StringComparison.Ordinal));
        var environment = Environment;
        environment["Kubernetes__Clusters__prod__Kubeconfig"] = kubeconfig;

        var result = await PortalProcess.RunAsync([], environment);

        result.ExitCode.ShouldBe(2, result.Stderr);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, result.Stderr);
        lines[0].ShouldContain("Kubernetes:Clusters:prod");
        lines[0].ShouldContain(kubeconfig);
        lines[0].ShouldContain(problem);
        result.Stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task BadPostgreSqlPassword_NeverEchoed()
    {
        var environment = Environment;
        environment["Database__Provider"] = "PostgreSql";
        environment["Database__ConnectionString"] = "Host=db;Password=hunter2-secret;Nonsense Key=1";

        var result = await PortalProcess.RunAsync(["migrate"], environment);

        result.ExitCode.ShouldBe(2);
        (result.Stdout + result.Stderr).ShouldNotContain("hunter2-secret");
    }

    [Fact]
    public async Task Migrate_UnreachableDatabase_Exit1WithOneLine()
    {
        var environment = Environment;
        environment["Database__Provider"] = "PostgreSql";
        environment["Database__ConnectionString"] = $"Host=127.0.0.1;Port={FreePort.Next()};Username=portal;Password=hunter2-secret;Timeout=2";

        var result = await PortalProcess.RunAsync(["migrate"], environment);

        result.ExitCode.ShouldBe(1);
        result.Stderr.Trim().ShouldStartWith("portal: migrate failed on PostgreSql 127.0.0.1:");
        result.Stderr.ShouldNotContain("hunter2-secret");
        result.Stderr.ShouldNotContain("   at ");
    }

    public void Dispose() => _data.Dispose();
}
