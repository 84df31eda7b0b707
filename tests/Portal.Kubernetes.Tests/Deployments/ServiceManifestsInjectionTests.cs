using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Kubernetes.Deployments;
using Portal.Kubernetes.Tests.Provisioning;

namespace Portal.Kubernetes.Tests.Deployments;

/// <summary>
/// Every value a service's release puts into its Deployment, Service and Ingress, hostile: the manifests keep exactly
/// their shape (no key, object or document more) and each value parses back as the one string it was.
/// </summary>
public sealed class ServiceManifestsInjectionTests
{
    /// <summary>image, env name, env value, secret env name, secret, secret key, port name, health path, host, four quantities, environment, namespace, protocol.</summary>
    private const int Fields = 16;

    private static readonly IReadOnlyList<string> Placeholders = [.. Enumerable.Range(0, Fields).Select(HostileText.Placeholder)];

    private static readonly IReadOnlyList<JsonNode> Expected = Parsed(Placeholders);

    /// <summary>By index: xUnit names a case by its argument, and two lone surrogates print alike (so one would be skipped).</summary>
    public static TheoryData<int> Fragments() => [.. Enumerable.Range(0, HostileText.Fragments.Length)];

    [Theory]
    [MemberData(nameof(Fragments))]
    public void Render_FragmentInEveryField_SameManifestsWithTheFragmentAsEachValue(int index)
    {
        var fragment = HostileText.Fragments[index];
        // Each field gets the fragment and its own suffix, so a value that moved to another field is caught too.
        string[] values = [.. Enumerable.Range(0, Fields).Select(i => $"{fragment}{i}{fragment}")];

        AssertInert(values);
    }

    [Fact]
    public void Render_AnyValuesInEveryField_ManifestsKeepTheirShapeAndValues() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Gen.ArrayOf(HostileText.Value, Fields).ToArbitrary(), AssertInert));

    [Fact]
    public void Render_JsonLookingEnvValue_OneStringNotAnObject()
    {
        const string hostile = "\"}, \"securityContext\": {\"privileged\": true}, \"x\": {\"";
        var spec = ServiceManifestsTests.Typical with { Env = new Dictionary<string, string> { ["A"] = hostile } };

        var deployment = HostileText.SingleDocument(ServiceManifests.Render(ServiceManifestsTests.Environment, "orders", spec, 1)[0].Yaml);

        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
        container.Select(kv => kv.Key).ShouldBe(["name", "image", "ports", "env", "resources", "readinessProbe", "livenessProbe"]);
        container["env"]![0]!["value"]!.GetValue<string>().ShouldBe(hostile);
    }

    [Theory]
    [InlineData("orders\n")]
    [InlineData("orders\nkind: Secret")]
    [InlineData("orders\r\n")]
    public void Render_ServiceNameWithLineBreak_Refused(string service) =>
        Should.Throw<ArgumentException>(() => ServiceManifests.Render(ServiceManifestsTests.Environment, service, ServiceManifestsTests.Typical, 1)).ParamName.ShouldBe("service");

    private static void AssertInert(string[] values)
    {
        var actual = Render(values);
        actual.Count.ShouldBe(Expected.Count);
        for (var i = 0; i < actual.Count; i++)
        {
            var expected = HostileText.Substitute(Expected[i], values);
            var rendered = HostileText.SingleDocument(actual[i].Yaml);
            HostileText.Same(expected, rendered).ShouldBeTrue($"{actual[i].Kind} changed shape or value:\n{actual[i].Yaml}");
        }
    }

    private static IReadOnlyList<JsonNode> Parsed(IReadOnlyList<string> values) => [.. Render(values).Select(o => HostileText.SingleDocument(o.Yaml))];

    private static IReadOnlyList<Core.Provisioning.PlannedObject> Render(IReadOnlyList<string> v)
    {
        var environment = ServiceManifestsTests.Environment with { Name = v[13], Namespace = v[14] };
        var spec = new DeploySpec
        {
            Image = v[0],
            Replicas = 2,
            Env = new Dictionary<string, string> { [v[1]] = v[2] },
            Secrets = [new SecretReference(v[3], v[4], v[5])],
            Ports = [new ServicePort(v[6], 8080, v[15])],
            HealthCheckPath = v[7],
            IngressHost = v[8],

            // Blank quantities are left out by design: each one starts with a digit so it is always there.
            Resources = new ResourceSettings("1" + v[9], "1" + v[11], "1" + v[10], "1" + v[12]),
        };
        return ServiceManifests.Render(environment, "orders", spec, 3);
    }
}
