using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Tests.Persistence;

public class DatabaseOptionsValidatorTests
{
    private readonly DatabaseOptionsValidator _validator = new();

    [Theory]
    [InlineData("Sqlite", "Data Source=/tmp/portal.db")]
    [InlineData("sqlite", "")]
    [InlineData("PostgreSql", "Host=db;Database=portal;Username=portal;Password=pw")]
    public void Validate_GoodSettings_Succeeds(string provider, string connectionString) =>
        _validator.Validate(null, new DatabaseOptions { Provider = provider, ConnectionString = connectionString }).Succeeded.ShouldBeTrue();

    [Theory]
    [InlineData("Oracle")]
    [InlineData("")]
    [InlineData("1")]
    public void Validate_UnknownProvider_NamesTheKey(string provider)
    {
        var result = _validator.Validate(null, new DatabaseOptions { Provider = provider });

        result.Failed.ShouldBeTrue();
        result.FailureMessage!.ShouldContain("Database:Provider");
        result.FailureMessage!.ShouldContain("Sqlite, PostgreSql");
    }

    [Fact]
    public void Validate_PostgreSqlWithoutConnectionString_NamesTheKey() =>
        _validator.Validate(null, new DatabaseOptions { Provider = "PostgreSql" }).FailureMessage!.ShouldContain("Database:ConnectionString: is required");

    [Theory]
    [InlineData("Sqlite", "Data Source=x.db;Frobnicate=yes")]
    [InlineData("PostgreSql", "Host=db;Password=hunter2-secret;Bogus Keyword=1")]
    [InlineData("PostgreSql", "this is not a connection string, Password=hunter2-secret")]
    public void Validate_MalformedConnectionString_NamesKeyAndHidesSecrets(string provider, string connectionString)
    {
        var result = _validator.Validate(null, new DatabaseOptions { Provider = provider, ConnectionString = connectionString });

        result.Failed.ShouldBeTrue();
        result.FailureMessage!.ShouldStartWith("Database:ConnectionString: is not a valid");
        result.FailureMessage!.ShouldNotContain("hunter2-secret");
    }

    [Fact]
    public void Validate_ProbeTimeoutOutOfRange_NamesTheKey() =>
        _validator.Validate(null, new DatabaseOptions { ProbeTimeoutSeconds = 0 }).FailureMessage!.ShouldContain("Database:ProbeTimeoutSeconds");

    [Theory]
    [InlineData(0)]
    [InlineData(301)]
    public void Validate_AvailabilityProbeOutOfRange_NamesTheKey(int seconds) =>
        _validator.Validate(null, new DatabaseOptions { AvailabilityProbeSeconds = seconds }).FailureMessage!.ShouldContain("Database:AvailabilityProbeSeconds");
}
