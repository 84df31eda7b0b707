using FsCheck;
using FsCheck.Fluent;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Validation;

namespace Portal.Core.Tests.Catalog;

/// <summary>
/// The names a service definition gives Kubernetes (its own, ports, variables, Secrets, image, host) become object
/// names, label values, selectors and manifest keys' values. A line break, even a trailing one (which a regular
/// expression's <c>$</c> lets through), or YAML syntax in any of them is refused, naming the field.
/// </summary>
public class ServiceValidatorInjectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] Suffixes = ["\n", "\r\n", "\nkind: Secret", ": x", " #c", "\"", "\u2028", "\u0085", "{}"];

    private static readonly ServiceInput Valid = new()
    {
        Name = "orders",
        OwningTeam = "shop",
        ImageRepository = "registry.example.com/shop/orders",
        Ports = [new ServicePort("http", 8080)],
        HealthCheckPath = "/healthz",
        Env = new Dictionary<string, string> { ["LOG_LEVEL"] = "info" },
        Secrets = [new SecretReference("DB_PASSWORD", "orders-db", "password")],
        IngressHostPattern = "{service}.{environment}.example.com",
    };

    /// <summary>Each field with a hostile suffix, and the field the refusal must name.</summary>
    private static IEnumerable<(string Field, ServiceInput Input)> Hostile(string s) =>
    [
        ("name", Valid with { Name = "orders" + s }),
        ("owningTeam", Valid with { OwningTeam = "shop" + s }),
        ("imageRepository", Valid with { ImageRepository = "registry.example.com/shop/orders" + s }),
        ("ports[0].name", Valid with { Ports = [new ServicePort("http" + s, 8080)] }),
        ("healthCheckPath", Valid with { HealthCheckPath = "/healthz" + s }),
        ("env", Valid with { Env = new Dictionary<string, string> { ["LOG_LEVEL" + s] = "info" } }),
        ("secrets[0].envName", Valid with { Secrets = [new SecretReference("DB_PASSWORD" + s, "orders-db", "password")] }),
        ("secrets[0].secret", Valid with { Secrets = [new SecretReference("DB_PASSWORD", "orders-db" + s, "password")] }),
        ("secrets[0].key", Valid with { Secrets = [new SecretReference("DB_PASSWORD", "orders-db", "password" + s)] }),
        ("ingressHostPattern", Valid with { IngressHostPattern = "{service}.{environment}.example.com" + s }),
    ];

    /// <summary>Free text (the team) and a URL path may hold quotes and braces, which a manifest keeps inert: only line breaks are refused there.</summary>
    private static readonly string[] FreeTextFields = ["owningTeam", "healthCheckPath"];

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var suffix in Suffixes)
        {
            var cases = Hostile(suffix).ToList();
            for (var i = 0; i < cases.Count; i++)
            {
                // The image repository is trimmed before it is checked and stored: trailing whitespace is dropped, not refused.
                var trimmed = cases[i].Field == "imageRepository" && string.IsNullOrWhiteSpace(suffix);
                var refused = !FreeTextFields.Contains(cases[i].Field) || suffix.Contains('\n', StringComparison.Ordinal) || suffix.Contains('\u0085', StringComparison.Ordinal);
                if (refused && !trimmed)
                {
                    data.Add(suffix, i);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Create_HostileSuffixInAKubernetesName_RefusedNamingTheField(string suffix, int index)
    {
        var (field, input) = Hostile(suffix).ElementAt(index);

        var ex = Should.Throw<ValidationFailedException>(() => ServiceValidator.Create(input, "alice", Now));

        ex.Errors.ToDictionary().Keys.ShouldContain(k => k == field || k.StartsWith(field + ".", StringComparison.Ordinal), ex.Message);
    }

    [Theory]
    [InlineData("registry.example.com/shop/orders:1.4.2\n")]
    [InlineData("registry.example.com/shop/orders:1.4.2\nkind: Secret")]
    [InlineData("registry.example.com:5000\n/shop/orders:1.4.2")]
    [InlineData("registry.example.com/shop/orders@sha256:0123456789abcdef0123456789abcdef\n")]
    public void ImageReferenceParse_LineBreak_Refused(string image) =>
        ImageReference.Parse(image, out _).ShouldNotBeNull();

    [Fact]
    public void Create_AnyHostileField_RefusedOrEveryKubernetesNameIsPlainAscii() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Inputs.ToArbitrary(), input =>
        {
            ServiceDefinition service;
            try
            {
                service = ServiceValidator.Create(input, "alice", Now);
            }
            catch (ValidationFailedException ex)
            {
                ex.Errors.IsEmpty.ShouldBeFalse();
                return;
            }

            string[] names =
            [
                service.Name, service.ImageRepository, service.IngressHostPattern ?? "", service.HealthCheckPath ?? "",
                .. service.Ports.Select(p => p.Name), .. service.Env.Keys,
                .. service.Secrets.SelectMany(s => new[] { s.EnvName, s.Secret, s.Key }),
            ];
            names.ShouldAllBe(n => n.All(c => c > ' ' && c < 127), string.Join(" | ", names));
        }));

    private static readonly string[] Fragments = [.. Suffixes, "-", ".", "_", "/", "x", "9", "{service}", "\t", "\0", "é", "A"];

    /// <summary>The valid input with one to three fields each given one to three fragments after (or instead of) its value.</summary>
    private static Gen<ServiceInput> Inputs =>
        from suffixes in Gen.ArrayOf(Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Gen.Elements(Fragments), n)).Select(string.Concat), 10)
        from mask in Gen.ArrayOf(Gen.Elements(true, false, false), 10)
        select Valid with
        {
            Name = "orders" + (mask[0] ? suffixes[0] : ""),
            ImageRepository = "registry.example.com/shop/orders" + (mask[1] ? suffixes[1] : ""),
            Ports = [new ServicePort("http" + (mask[2] ? suffixes[2] : ""), 8080)],
            HealthCheckPath = "/healthz" + (mask[3] ? suffixes[3] : ""),
            Env = new Dictionary<string, string> { ["LOG_LEVEL" + (mask[4] ? suffixes[4] : "")] = "info" + suffixes[5] },
            Secrets = [new SecretReference("DB_PASSWORD" + (mask[6] ? suffixes[6] : ""), "orders-db" + (mask[7] ? suffixes[7] : ""), "password" + (mask[8] ? suffixes[8] : ""))],
            IngressHostPattern = "{service}.{environment}.example.com" + (mask[9] ? suffixes[9] : ""),
        };
}
