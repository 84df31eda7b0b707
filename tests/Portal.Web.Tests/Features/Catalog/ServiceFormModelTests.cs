using Portal.Core.Catalog;
using Portal.Web.Features.Catalog;

namespace Portal.Web.Tests.Features.Catalog;

public sealed class ServiceFormModelTests
{
    [Fact]
    public void ToInput_RowsKeepTheirPositions_BlankVariablesDropped()
    {
        var model = ServiceFormModel.New();
        model.Name = " svc ";
        model.Ports.Add(new PortRow());
        model.Env.AddRange([new EnvRow { Key = "A", Value = "1" }, new EnvRow(), new EnvRow { Key = " B ", Value = "" }]);
        model.Secrets.Add(new SecretRow { EnvName = "DB_PASSWORD", Secret = "db", Key = "password" });

        var input = model.ToInput(expectedVersion: 4);

        input.Name.ShouldBe("svc");
        input.Ports.ShouldBe([new ServicePort("http", 8080), new ServicePort("", 0, "TCP")], "an empty row is sent, so its error names its index");
        input.Env.ShouldBe(new Dictionary<string, string> { ["A"] = "1", ["B"] = "" });
        input.Secrets.ShouldBe([new SecretReference("DB_PASSWORD", "db", "password")]);
        input.Resources.ShouldBe(ResourceSettings.Default);
        input.ExpectedVersion.ShouldBe(4);
    }

    [Fact]
    public void From_Definition_RoundTripsToTheSameInput()
    {
        var definition = new ServiceDefinition
        {
            Name = "svc",
            OwningTeam = "payments",
            ImageRepository = "registry.portal.test/payments/svc",
            Ports = [new("http", 8080), new("metrics", 9090)],
            Env = new SortedDictionary<string, string> { ["LOG_LEVEL"] = "debug" },
            Secrets = [new("API_KEY", "svc-secrets", "api-key")],
            Links = new ServiceLinks("https://wiki/runbook", null),
            Version = 3,
        };

        var input = ServiceFormModel.From(definition).ToInput(definition.Version);

        input.Ports.ShouldBe(definition.Ports);
        input.Env.ShouldBe(definition.Env);
        input.Secrets.ShouldBe(definition.Secrets);
        input.Links.ShouldBe(definition.Links);
        input.ExpectedVersion.ShouldBe(3);
    }

    [Fact]
    public void DuplicateEnvKeys_NamesTheRepeatedVariables()
    {
        var model = ServiceFormModel.New();
        model.Env.AddRange([new EnvRow { Key = "A", Value = "1" }, new EnvRow { Key = "A ", Value = "2" }, new EnvRow { Key = "B", Value = "3" }]);

        model.DuplicateEnvKeys().ShouldBe(["A"]);
    }
}
