using Portal.Aws.Accounts;

namespace Portal.Aws.Tests.Accounts;

public sealed class AwsOptionsValidatorTests
{
    private static IReadOnlyList<string> Failures(AwsOptions options) =>
        new AwsOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    private static AwsAccountOptions Valid(string name = "prod") => new() { Name = name, Region = "eu-west-1" };

    [Fact]
    public void Validate_ValidAccounts_Succeeds()
    {
        var options = new AwsOptions
        {
            Accounts =
            [
                Valid(),
                new AwsAccountOptions
                {
                    Name = "shared.infra_2", Region = "us-gov-west-1", RoleArn = "arn:aws-us-gov:iam::123456789012:role/portal/reader", ExternalId = "portal:42",
                    SessionDurationSeconds = 900, Environments = ["shop-prod"], CloudWatchEndpoint = new Uri("http://127.0.0.1:4566"),
                },
            ],
        };

        new AwsOptionsValidator().Validate(null, options).Succeeded.ShouldBeTrue(string.Join("; ", Failures(options)));
    }

    [Fact]
    public void Validate_NoAccounts_Succeeds()
    {
        new AwsOptionsValidator().Validate(null, new AwsOptions()).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData(null, "Aws:Accounts:1:Region is required and must look like eu-west-1 (got '').")]
    [InlineData("Ireland", "Aws:Accounts:1:Region is required and must look like eu-west-1 (got 'Ireland').")]
    public void Validate_BadRegion_NamesTheKey(string? region, string expected)
    {
        Failures(new AwsOptions { Accounts = [Valid("a"), new AwsAccountOptions { Name = "b", Region = region }] }).ShouldBe([expected]);
    }

    [Fact]
    public void Validate_MissingAndDuplicateNames_NameTheirKeys()
    {
        var failures = Failures(new AwsOptions { Accounts = [Valid("prod"), Valid("PROD"), new AwsAccountOptions { Region = "eu-west-1" }] });

        failures.ShouldBe([
            "Aws:Accounts:1:Name 'PROD' is used by another account; names must be unique.",
            "Aws:Accounts:2:Name is required: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (got '').",
        ]);
    }

    [Fact]
    public void Validate_RoleSettings_NameTheirKeysWithoutEchoingTheExternalId()
    {
        var failures = Failures(new AwsOptions
        {
            Accounts =
            [
                Valid(),
            ],
        });
        failures.ShouldBeEmpty();

        var bad = Failures(new AwsOptions
        {
            Accounts =
            [
                new AwsAccountOptions { Name = "a", Region = "eu-west-1", RoleArn = "arn:aws:iam::12345:user/bob", ExternalId = "s3cr3t ext id" },
                new AwsAccountOptions { Name = "b", Region = "eu-west-1", ExternalId = "abc", SessionDurationSeconds = 100 },
            ],
        });

        bad.ShouldBe([
            "Aws:Accounts:0:RoleArn must be an IAM role ARN such as arn:aws:iam::123456789012:role/portal-reader (got 'arn:aws:iam::12345:user/bob').",
            "Aws:Accounts:0:ExternalId must be 2 to 1224 characters of letters, digits and +=,.@:/-.",
            "Aws:Accounts:1:ExternalId is only used with RoleArn; set RoleArn or remove it.",
            "Aws:Accounts:1:SessionDurationSeconds must be between 900 and 43200, and only with RoleArn (got 100).",
        ]);
        bad.ShouldAllBe(f => !f.Contains("s3cr3t"));
    }

    [Fact]
    public void Validate_Endpoints_MustBeHttpUrlsWithoutUserInfo()
    {
        var failures = Failures(new AwsOptions
        {
            Accounts =
            [
                new AwsAccountOptions
                {
                    Name = "a", Region = "eu-west-1", CloudWatchEndpoint = new Uri("ftp://example.com"),
                    CloudTrailEndpoint = new Uri("https://key:secret@example.com"), StsEndpoint = new Uri("/relative", UriKind.Relative),
                    Environments = ["shop-prod", " "],
                },
            ],
        });

        failures.ShouldBe([
            "Aws:Accounts:0:Environments:1 is empty; name a Portal environment, or leave the list empty for every environment.",
            "Aws:Accounts:0:CloudWatchEndpoint must be an absolute http(s) URL (got 'ftp://example.com').",
            "Aws:Accounts:0:CloudTrailEndpoint must not carry user info; AWS requests are signed with SigV4.",
            "Aws:Accounts:0:StsEndpoint must be an absolute http(s) URL (got '/relative').",
        ]);
        failures.ShouldAllBe(f => !f.Contains("secret"));
    }

    [Fact]
    public void Validate_RetrySettings_NameTheirKeys()
    {
        Failures(new AwsOptions { MaxAttempts = 0, RequestTimeout = TimeSpan.Zero }).ShouldBe([
            "Aws:MaxAttempts must be between 1 and 10 (got 0).",
            "Aws:RequestTimeout must be between 00:00:00 and 00:05:00 (got 00:00:00).",
        ]);
    }
}
