using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Validation;

namespace Portal.Core.Tests.Deployments;

public class WorkloadRulesTests
{
    [Theory]
    [InlineData("orders", null)]
    [InlineData("orders-api2", null)]
    [InlineData("2orders", "DNS-1123")]
    [InlineData("Orders", "DNS-1123")]
    [InlineData("orders-", "DNS-1123")]
    [InlineData("", "is required")]
    public void ServiceName(string name, string? problem)
    {
        var result = WorkloadRules.ServiceName(name);
        if (problem is null)
        {
            result.ShouldBeNull();
        }
        else
        {
            result.ShouldNotBeNull().ShouldContain(problem);
        }
    }

    [Fact]
    public void ServiceName_64Characters_Refused() => WorkloadRules.ServiceName(new string('a', 64)).ShouldBe("must be at most 63 characters (got 64)");

    [Fact]
    public void Ports_EachProblemNamedAtItsIndex()
    {
        var errors = new ValidationErrors();

        WorkloadRules.Ports([new ServicePort("http", 0), new ServicePort("HTTP!", 8080, "ICMP"), new ServicePort("http", 9090)], errors);

        var byField = errors.ToDictionary();
        byField["ports[0].port"].ShouldBe(["must be between 1 and 65535 (got 0)"]);
        byField["ports[1].name"].Single().ShouldContain("'HTTP!' is not a valid port name");
        byField["ports[1].protocol"].ShouldBe(["must be TCP, UDP or SCTP (got 'ICMP')"]);
        byField["ports"].ShouldContain("port name 'http' is used twice");
    }

    [Fact]
    public void Resources_BadQuantityAndLimitBelowRequest_Named()
    {
        var errors = new ValidationErrors();

        WorkloadRules.Resources(new ResourceSettings("lots", "", "512Mi", "256Mi"), errors);

        var byField = errors.ToDictionary();
        byField["resources.cpuRequest"].Single().ShouldContain("'lots' is not a Kubernetes quantity");
        byField["resources.memoryLimit"].ShouldBe(["must be at least the request (512Mi)"]);
        byField.ContainsKey("resources.cpuLimit").ShouldBeFalse("an empty limit means none");
    }

    [Fact]
    public void Env_BadNamesAndAVariableFromTwoPlaces_Named()
    {
        var errors = new ValidationErrors();

        WorkloadRules.Env(new Dictionary<string, string> { ["1X"] = "a", ["DB_URL"] = "x" }, [new SecretReference("DB_URL", "db", "url"), new SecretReference("TOKEN", "Bad_Secret", "k y")], errors);

        var byField = errors.ToDictionary();
        byField["env"].Single().ShouldContain("'1X' is not a valid variable name");
        byField["secrets[0].envName"].Single().ShouldContain("also a plain variable");
        byField["secrets[1].secret"].Single().ShouldContain("not a valid Secret name");
        byField["secrets[1].key"].Single().ShouldContain("not a valid Secret key");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Replicas_OutOfRange_Refused(int replicas)
    {
        var errors = new ValidationErrors();
        WorkloadRules.Replicas(replicas, errors);
        errors.ToDictionary()["replicas"].Single().ShouldBe($"must be between 0 and 100 (got {replicas})");
    }

    [Theory]
    [InlineData("orders.dev.example.com", null)]
    [InlineData("*.dev.example.com", null)]
    [InlineData("orders_dev.example.com", "not a valid host name")]
    [InlineData("orders.dev.example.com\nX-Injected: 1", "not a valid host name")]
    public void Host(string host, string? problem)
    {
        var result = WorkloadRules.Host(host);
        if (problem is null)
        {
            result.ShouldBeNull();
        }
        else
        {
            result.ShouldNotBeNull().ShouldContain(problem);
        }
    }
}
