using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Core.Validation;
using Portal.Kubernetes.Provisioning;
using Portal.Testing;
using RoleBinding = Portal.Core.Authorization.RoleBinding;

namespace Portal.Kubernetes.Tests.Provisioning;

/// <summary>
/// An environment's user-given values (display name, creator, labels, quota, role subjects, names) in its Namespace,
/// ResourceQuota, RoleBindings and NetworkPolicies, hostile: every object keeps its shape and each value is one string.
/// The tier's extra manifests are text templates, so there the guard is the validator: whatever it accepts renders
/// inside a quoted template as exactly itself, and what it refuses is refused naming the field.
/// </summary>
public sealed partial class EnvironmentManifestsInjectionTests : IDisposable
{
    /// <summary>name, namespace, display name, created by, label key, label value, quota cpu, quota memory, role subject.</summary>
    private const int Fields = 9;

    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new("environment-injection");

    public void Dispose() => _directory.Dispose();

    /// <summary>By index: xUnit names a case by its argument, and two lone surrogates print alike (so one would be skipped).</summary>
    public static TheoryData<int> Fragments() => [.. Enumerable.Range(0, HostileText.Fragments.Length)];

    [Theory]
    [MemberData(nameof(Fragments))]
    public void Render_FragmentInEveryField_SameObjectsWithTheFragmentAsEachValue(int index) =>
        AssertInert([.. Enumerable.Range(0, Fields).Select(i => $"{HostileText.Fragments[index]}{i}{HostileText.Fragments[index]}")]);

    [Fact]
    public void Render_AnyValuesInEveryField_ObjectsKeepTheirShapeAndValues() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Gen.ArrayOf(HostileText.Value, Fields).ToArbitrary(), AssertInert));

    [Fact]
    public void LabelValue_AnyTeamOrCostCentre_AKubernetesLabelValue() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(HostileText.Value.ToArbitrary(), text =>
        {
            var value = LabelValue.From(text);
            (value.Length == 0 || LabelValuePattern().IsMatch(value)).ShouldBeTrue($"'{value}' from '{text}'");
        }));

    [Fact]
    public void YamlText_KeyLongerThanYamlsImplicitKeyLimit_ParsesBackToTheSameTree()
    {
        var key = string.Concat(Enumerable.Repeat("k: #\n", 400));
        var node = new JsonObject
        {
            [key] = "v",
            ["list"] = new JsonArray(new JsonObject { [key] = new JsonArray("a", "b"), ["next"] = 1 }),
            ["nested"] = new JsonObject { [key] = new JsonObject { ["x"] = key } },
        };

        var yaml = YamlText.From(node);

        HostileText.Same(node, HostileText.SingleDocument(yaml)).ShouldBeTrue(yaml);
    }

    [Theory]
    [InlineData("name", "dev\n")]
    [InlineData("name", "dev\nkind: Secret")]
    [InlineData("name", "dev: x")]
    [InlineData("name", "dev\"")]
    [InlineData("name", "dev\u2028x")]
    [InlineData("namespace", "ns\n")]
    [InlineData("namespace", "ns # c")]
    [InlineData("cluster", "sandbox\n")]
    [InlineData("costCentre", "cc\n---")]
    [InlineData("owningTeam", "team\nkind: Secret")]
    [InlineData("displayName", "Dev\r\nX-Injected: 1")]
    public void Create_LineBreakOrYamlSyntaxInANameField_RefusedNamingTheField(string field, string value)
    {
        var request = field switch
        {
            "name" => Valid with { Name = value },
            "namespace" => Valid with { Namespace = value },
            "cluster" => Valid with { Cluster = value },
            "costCentre" => Valid with { CostCentre = value },
            "owningTeam" => Valid with { OwningTeam = value },
            _ => Valid with { DisplayName = value },
        };

        var ex = Should.Throw<ValidationFailedException>(() => EnvironmentValidator.Create(request, Policy, "alice", Now, mayChooseNamespace: true));

        ex.Errors.ToDictionary().Keys.ShouldBe([field]);
    }

    [Fact]
    public void RenderTemplates_WhateverTheValidatorAccepts_RendersAsExactlyItselfInAQuotedTemplate()
    {
        Directory.CreateDirectory(_directory.File("all"));
        File.WriteAllText(_directory.File("all/config.yaml"), """
            environment: "{{ environment }}"
            namespace: '{{ namespace }}'
            team: "{{ team }}"
            costCentre: "{{ costCentre }}"
            cluster: "{{ cluster }}"
            """);
        var templates = ManifestTemplates.Load(_directory.Path);
        var accepted = 0;
        // Often valid (a DNS label that YAML would read as a number, boolean or null among them), else hostile.
        var names = Gen.Frequency((1, HostileText.Value), (2, Gen.Elements("dev", "pr-7", "123", "null", "true", "1e3", "x-y")));
        var clusters = Gen.Frequency((1, HostileText.Value), (3, Gen.Elements("sandbox", "other", "sandbox\n")));
        var requests = Gen.ArrayOf(names, 4).SelectMany(v => clusters.Select(cluster => (string[])[.. v, cluster]));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(requests.ToArbitrary(), v =>
        {
            var request = Valid with { Name = v[0], Namespace = v[1], OwningTeam = v[2], CostCentre = v[3], Cluster = v[4] };
            PortalEnvironment environment;
            try
            {
                environment = EnvironmentValidator.Create(request, Policy, "alice", Now, mayChooseNamespace: true);
            }
            catch (ValidationFailedException ex)
            {
                ex.Errors.ToDictionary().Keys.ShouldBeSubsetOf(["name", "namespace", "owningTeam", "costCentre", "cluster"]);
                return;
            }

            accepted++;
            var (_, yaml) = templates.Render(environment).ShouldHaveSingleItem();
            var document = HostileText.SingleDocument(yaml).AsObject();
            document.Select(kv => kv.Key).ShouldBe(["environment", "namespace", "team", "costCentre", "cluster"], yaml);
            document.Select(kv => kv.Value!.GetValue<string>()).ShouldBe(
                [environment.Name, environment.Namespace, LabelValue.From(environment.OwningTeam), LabelValue.From(environment.CostCentre), environment.Cluster], yaml);
        }));

        accepted.ShouldBeGreaterThan(0, "some generated environments are valid");
    }

    private static readonly EnvironmentPolicyOptions Policy = new() { Clusters = ["sandbox\n", "other"] };

    private static readonly CreateEnvironmentRequest Valid = new()
    {
        Name = "pr-7",
        DisplayName = "PR 7",
        Tier = "dev",
        Cluster = "sandbox",
        OwningTeam = "payments",
        CostCentre = "cc-1",
    };

    private static void AssertInert(string[] values)
    {
        var placeholders = Enumerable.Range(0, Fields).Select(HostileText.Placeholder).ToArray();
        var expected = Render(placeholders);
        var actual = Render(values);
        actual.Count.ShouldBe(expected.Count);
        for (var i = 0; i < actual.Count; i++)
        {
            // The body as JSON, and as the YAML a preview shows: both the same tree, the hostile values in place.
            var want = HostileText.Substitute(expected[i].Body, values);
            HostileText.Same(want, actual[i].Body).ShouldBeTrue($"{actual[i].Kind} body changed");
            var yaml = YamlText.From(actual[i].Body);
            HostileText.Same(want, HostileText.SingleDocument(yaml)).ShouldBeTrue($"{actual[i].Kind} YAML changed shape or value:\n{yaml}");
        }
    }

    private static IReadOnlyList<EnvironmentObject> Render(string[] v)
    {
        var environment = new PortalEnvironment
        {
            Name = v[0],
            Namespace = v[1],
            DisplayName = v[2],
            CreatedBy = v[3],
            Labels = new Dictionary<string, string> { [v[4]] = v[5] },
            Quota = new EnvironmentQuota(v[6], v[7], 10),
            Tier = EnvironmentTier.Dev,
            Cluster = "sandbox",
            OwningTeam = "payments",
            CostCentre = "cc-1",
        };
        RoleBinding[] bindings = [new(Guid.Empty, SubjectKind.User, v[8], Roles.Developer, BindingScope.ForEnvironment(v[0]), null, "admin", Now)];
        return new EnvironmentManifests(new ProvisioningOptions(), ManifestTemplates.Empty, new EnvironmentPolicyOptions()).Render(environment, bindings);
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?\z")]
    private static partial Regex LabelValuePattern();
}
