using Portal.Core.Catalog;
using Portal.Core.Validation;

namespace Portal.Core.Tests.Catalog;

public class ServiceValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static ServiceInput Valid() => new()
    {
        Name = "orders",
        OwningTeam = "shop",
        ImageRepository = "registry.example.com/shop/orders",
        Ports = [new ServicePort("http", 8080)],
        HealthCheckPath = "/healthz",
        DefaultReplicas = 2,
        Env = new Dictionary<string, string> { ["LOG_LEVEL"] = "info" },
        Secrets = [new SecretReference("DB_PASSWORD", "orders-db", "password")],
        IngressHostPattern = "{service}.{environment}.example.com",
    };

    [Fact]
    public void Create_Valid_FirstVersionByTheCreator()
    {
        var service = ServiceValidator.Create(Valid(), "alice", Now);

        service.Version.ShouldBe(1);
        service.CreatedBy.ShouldBe("alice");
        service.UpdatedBy.ShouldBe("alice");
        service.IngressHostFor("dev").ShouldBe("orders.dev.example.com");
        service.Resources.ShouldBe(ResourceSettings.Default);
    }

    [Fact]
    public void Create_EveryBadField_NamedTogether()
    {
        var input = Valid() with
        {
            Name = "Orders",
            OwningTeam = " ",
            ImageRepository = "registry.example.com/shop/orders:1.0",
            RepositoryUrl = "ftp://git",
            HealthCheckPath = "healthz",
            IngressHostPattern = "{service}_{environment}.example.com",
            Ports = [],
        };

        var errors = Should.Throw<ValidationFailedException>(() => ServiceValidator.Create(input, "alice", Now)).Errors.ToDictionary();

        errors.Keys.Order().ShouldBe(["healthCheckPath", "imageRepository", "ingressHostPattern", "name", "owningTeam", "ports", "repositoryUrl"]);
        errors["imageRepository"].ShouldBe(["must not include a tag or digest (those are chosen per deployment)"]);
        errors["ingressHostPattern"].Single().ShouldContain("'{service}_{environment}.example.com' is not a valid host name");
    }

    [Fact]
    public void Update_KeepsTheNameAndCreator_BumpsTheVersion_AndListsTheChangedFields()
    {
        var v1 = ServiceValidator.Create(Valid(), "alice", Now);

        var v2 = ServiceValidator.Update(v1, ServiceInput.From(v1) with { Name = "renamed", DefaultReplicas = 3, Description = "Orders API" }, "bob", Now.AddHours(1));

        v2.Name.ShouldBe("orders");
        v2.Version.ShouldBe(2);
        (v2.CreatedBy, v2.UpdatedBy).ShouldBe(("alice", "bob"));
        ServiceValidator.Changes(v1, v2).ShouldBe(["description", "defaultReplicas"]);
    }
}
