using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Web.Features.Deployments;

namespace Portal.Web.Tests.Features.Deployments;

/// <summary>The deploy form's own checks: Core's rules, named by the API's field names, before the server is asked.</summary>
public sealed class DeployFormTests
{
    private static readonly ServiceDefinition Orders = new()
    {
        Name = "orders",
        OwningTeam = "shop",
        ImageRepository = "registry.portal.test/shop/orders",
        Secrets = [new SecretReference("DB_PASSWORD", "orders-db", "password")],
    };

    [Fact]
    public void Validate_GoodInput_NoErrors()
    {
        Valid().Validate(Orders).IsEmpty.ShouldBeTrue();
    }

    [Theory]
    [InlineData("version", "Bad Tag!")]
    [InlineData("version", "sha256:nothex")]
    [InlineData("version", "")]
    public void Validate_BadVersion_NamesVersion(string field, string version)
    {
        var form = Valid();
        form.Version = version;

        var errors = form.Validate(Orders).ToDictionary();

        errors.Keys.ShouldBe([field]);
        errors[field].ShouldHaveSingleItem().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Validate_BadVersion_SaysWhichImageItWouldMake()
    {
        var form = Valid();
        form.Version = "Bad Tag!";

        form.Validate(Orders).ToDictionary()["version"].Single().ShouldStartWith("'Bad Tag!' does not make a valid image reference: registry.portal.test/shop/orders:Bad Tag! has an invalid tag");
    }

    [Fact]
    public void Validate_EnvNameStartingWithADigit_NamesEnv()
    {
        var form = Valid();
        form.Env.Add(new EnvVarRow { Name = "1X", Value = "on" });

        var errors = form.Validate(Orders).ToDictionary();

        errors.Keys.ShouldBe(["env"]);
        errors["env"].Single().ShouldContain("'1X' is not a valid variable name");
    }

    [Fact]
    public void Validate_EnvNameTwiceOrClashingWithASecret_NamesBoth()
    {
        var form = Valid();
        form.Env.Add(new EnvVarRow { Name = "MODE", Value = "a" });
        form.Env.Add(new EnvVarRow { Name = "MODE", Value = "b" });
        form.Env.Add(new EnvVarRow { Name = "DB_PASSWORD", Value = "plain" });

        var errors = form.Validate(Orders).ToDictionary();

        errors["env"].ShouldContain("'MODE' is listed twice");
        errors["secrets[0].envName"].Single().ShouldContain("also a plain variable");
    }

    [Fact]
    public void Validate_BlankEnvRows_AreIgnored()
    {
        var form = Valid();
        form.Env.Add(new EnvVarRow());
        form.Env.Add(new EnvVarRow { Name = "  ", Value = "" });

        form.Validate(Orders).IsEmpty.ShouldBeTrue();
        form.ToRequest().Env!.Keys.ShouldBe(["LOG_LEVEL"]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    [InlineData(null)]
    public void Validate_ReplicasOutOfRange_NamesReplicas(int? replicas)
    {
        var form = Valid();
        form.Replicas = replicas;

        var errors = form.Validate(Orders).ToDictionary();

        errors.Keys.ShouldBe(["replicas"]);
        errors["replicas"].Single().ShouldStartWith($"must be between 0 and {WorkloadRules.MaxReplicas}");
    }

    [Fact]
    public void Validate_CpuNotAQuantity_NamesResourcesCpuRequest()
    {
        var form = Valid();
        form.ResourcesCpuRequest = "lots";

        var errors = form.Validate(Orders).ToDictionary();

        errors.Keys.ShouldBe(["resources.cpuRequest"]);
        errors["resources.cpuRequest"].Single().ShouldContain("'lots' is not a Kubernetes quantity");
    }

    [Fact]
    public void Validate_LimitBelowRequest_NamesTheLimit()
    {
        var form = Valid();
        form.ResourcesMemoryLimit = "32Mi";

        form.Validate(Orders).ToDictionary().Keys.ShouldBe(["resources.memoryLimit"]);
    }

    [Fact]
    public void Validate_EverythingWrongAtOnce_NamesEachField()
    {
        var form = new DeployForm { Version = "Bad Tag!", Replicas = -1, ResourcesCpuRequest = "lots", ResourcesMemoryRequest = "64Mi", Env = [new() { Name = "1X", Value = "" }] };

        var errors = form.Validate(null).ToDictionary();

        errors.Keys.Order(StringComparer.Ordinal).ShouldBe(["env", "environment", "replicas", "resources.cpuRequest", "service"]);
        errors["service"].ShouldBe(["is required"]);
    }

    [Fact]
    public void Validate_ServiceNotInTheCatalog_SaysSo()
    {
        var form = Valid();
        form.Service = "ghost";

        form.Validate(null).ToDictionary()["service"].ShouldBe(["'ghost' is not in the catalog"]);
    }

    [Fact]
    public void FillThenToRequest_KeepsTheDefaultsAndTrims()
    {
        var form = new DeployForm();
        form.Fill(new DeployRequest
        {
            Service = "orders", Version = "1.4.2", Replicas = 3, Ingress = true,
            Resources = new ResourceSettings("250m", "500m", "256Mi", "512Mi"),
            Env = new Dictionary<string, string> { ["B"] = "2", ["A"] = "1" },
        });
        form.Version = " 1.4.3 ";
        form.Queue = true;

        var request = form.ToRequest();

        form.Env.Select(r => r.Name).ShouldBe(["A", "B"]);
        request.Version.ShouldBe("1.4.3");
        request.Replicas.ShouldBe(3);
        request.Resources.ShouldBe(new ResourceSettings("250m", "500m", "256Mi", "512Mi"));
        request.Env.ShouldBe(new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" });
        request.Ingress.ShouldBe(true);
        request.Queue.ShouldBeTrue();
    }

    [Theory]
    [InlineData("1.4.2", "registry.portal.test/shop/orders:1.4.2")]
    [InlineData("sha256:0123456789abcdef0123456789abcdef", "registry.portal.test/shop/orders@sha256:0123456789abcdef0123456789abcdef")]
    public void ImageFor_TagOrDigest(string version, string image) =>
        Portal.Core.Deployments.ImageReference.ForVersion(Orders.ImageRepository, version).ShouldBe(image);

    private static DeployForm Valid() => new()
    {
        Service = "orders",
        Environment = "dev",
        Version = "1.4.2",
        Replicas = 2,
        ResourcesCpuRequest = "100m",
        ResourcesCpuLimit = "",
        ResourcesMemoryRequest = "64Mi",
        ResourcesMemoryLimit = "128Mi",
        Env = [new() { Name = "LOG_LEVEL", Value = "info" }],
    };
}
