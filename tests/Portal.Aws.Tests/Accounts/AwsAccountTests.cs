using Portal.Aws.Accounts;

namespace Portal.Aws.Tests.Accounts;

public sealed class AwsAccountTests
{
    [Fact]
    public void Constructor_NoEndpoints_UsesTheRegionalOnes()
    {
        var account = new AwsAccount("prod", "eu-west-1", () => TestAccounts.Static);

        account.CloudWatchEndpoint.ShouldBe(new Uri("https://monitoring.eu-west-1.amazonaws.com"));
        account.CloudTrailEndpoint.ShouldBe(new Uri("https://cloudtrail.eu-west-1.amazonaws.com"));
        AwsAccount.DefaultEndpoint("sts", "cn-north-1").ShouldBe(new Uri("https://sts.cn-north-1.amazonaws.com.cn"));
    }

    [Fact]
    public void Serves_NoEnvironments_ServesEveryEnvironment()
    {
        new AwsAccount("prod", "eu-west-1", () => TestAccounts.Static).Serves("anything").ShouldBeTrue();
    }

    [Fact]
    public void Serves_ListedEnvironments_ServesOnlyThoseIgnoringCase()
    {
        var account = new AwsAccount("prod", "eu-west-1", () => TestAccounts.Static, ["shop-prod", "pay-prod"]);

        account.Serves("Shop-Prod").ShouldBeTrue();
        account.Serves("shop-dev").ShouldBeFalse();
    }

    [Fact]
    public void SessionName_LongAccountName_IsCutToStsLimit()
    {
        AwsClientFactory.SessionName("prod").ShouldBe("portal-prod");
        AwsClientFactory.SessionName(new string('a', 64)).Length.ShouldBe(64);
    }
}
