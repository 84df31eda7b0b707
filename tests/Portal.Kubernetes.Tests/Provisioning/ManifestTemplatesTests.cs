using Portal.Core.Environments;
using Portal.Kubernetes.Provisioning;
using Portal.Testing;

namespace Portal.Kubernetes.Tests.Provisioning;

public sealed class ManifestTemplatesTests : IDisposable
{
    private readonly TempDirectory _directory = new("manifest-templates");

    private static readonly PortalEnvironment Environment = new()
    {
        Name = "pr-7",
        DisplayName = "PR 7",
        Tier = EnvironmentTier.Dev,
        Cluster = "sandbox",
        Namespace = "pr-7-ns",
        OwningTeam = "Payments Team",
        CostCentre = "CC_9",
        CreatedBy = "alice",
    };

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Render_EveryPlaceholder_ReplacedWithTheEnvironmentsValues()
    {
        Write("all/config.yaml", "name: {{ environment }}\nns: {{namespace}}\ntier: {{  tier  }}\nteam: {{ team }}\ncc: {{ costCentre }}\ncluster: {{ cluster }}\n");

        var (file, yaml) = ManifestTemplates.Load(_directory.Path).Render(Environment).ShouldHaveSingleItem();

        file.ShouldBe("all/config.yaml");
        yaml.ShouldBe("name: pr-7\nns: pr-7-ns\ntier: dev\nteam: payments-team\ncc: cc_9\ncluster: sandbox\n");
    }

    [Fact]
    public void Render_SamePlaceholderTwice_BothReplaced()
    {
        Write("all/a.yaml", "{{ environment }}-{{ environment }}");

        ManifestTemplates.Load(_directory.Path).Render(Environment).ShouldHaveSingleItem().Yaml.ShouldBe("pr-7-pr-7");
    }

    [Theory]
    [InlineData("{{ name }}", "name")]
    [InlineData("{{ Namespace }}", "Namespace")]
    [InlineData("ok: {{ tier }}\nbad: {{ owner }}", "owner")]
    public void Load_UnknownPlaceholder_FormatExceptionNamingTheFileAndPlaceholder(string text, string placeholder)
    {
        Write("all/fine.yaml", "{{ tier }}");
        Write("dev/extra.yaml", text);

        var ex = Should.Throw<FormatException>(() => ManifestTemplates.Load(_directory.Path));

        ex.Message.ShouldStartWith($"dev/extra.yaml: unknown placeholder '{{{{ {placeholder} }}}}'");
        ex.Message.ShouldContain("environment, namespace, tier, team, costCentre, cluster");
    }

    [Fact]
    public void Render_TierFolders_AllFirstThenTheEnvironmentsTierOnly()
    {
        Write("all/b.yaml", "all-b");
        Write("all/a.yml", "all-a");
        Write("dev/z.yaml", "dev-z");
        Write("dev/a.yaml", "dev-a");
        Write("prod/a.yaml", "prod-a");
        Write("staging/a.yaml", "staging-a");
        var templates = ManifestTemplates.Load(_directory.Path);

        templates.Render(Environment).Select(t => t.File).ShouldBe(["all/a.yml", "all/b.yaml", "dev/a.yaml", "dev/z.yaml"]);
        templates.Render(Environment with { Tier = EnvironmentTier.Prod }).Select(t => t.Yaml).ShouldBe(["all-a", "all-b", "prod-a"]);
        templates.Render(Environment with { Tier = EnvironmentTier.Test }).Select(t => t.Yaml).ShouldBe(["all-a", "all-b"]);
    }

    [Fact]
    public void Load_FilesThatAreNotYamlAndUnknownFolders_Ignored()
    {
        Write("all/README.md", "{{ not-checked }}");
        Write("all/config.yaml.bak", "{{ nope }}");
        Write("qa/a.yaml", "{{ whatever }}");
        Write("all/real.yaml", "kind: ConfigMap");

        ManifestTemplates.Load(_directory.Path).Render(Environment).Select(t => t.File).ShouldBe(["all/real.yaml"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("does-not-exist")]
    public void Load_NoDirectory_RendersNothing(string? directory) =>
        ManifestTemplates.Load(directory is { Length: > 0 } ? _directory.File(directory) : directory).Render(Environment).ShouldBeEmpty();

    private void Write(string relative, string text)
    {
        var path = _directory.File(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
