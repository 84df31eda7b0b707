using System.Text.Json.Nodes;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Provisioning;

namespace Portal.Kubernetes.Tests.Provisioning;

public class YamlTextTests
{
    public static TheoryData<string> TrickyStrings() =>
    [
        "8080", "0", "-1", "+12", "1.5", ".5", "1e3", "1E-3", "007", "0x1F", "0o17", ".inf", "-.inf", ".nan",
        "true", "false", "True", "FALSE", "null", "Null", "NULL", "~", "yes", "no", "on", "off", "Yes", "Y", "n",
        "", " ", " leading", "trailing ", "a: b", "a:b", "http://x", "# not a comment", "a #b", "- item", "-", "?", "? x",
        "'single'", "\"double\"", "back\\slash", "line\nbreak", "tab\there", "{x}", "[x]", "a, b", "&anchor", "*alias", "!tag",
        "|", ">", "%directive", "@at", "`tick", "<<", "---", "...", "Zürich", "payments-team", "500m", "8Gi",
        "carriage\rreturn", "next\u0085line", "line\u2028separator", "bell\u0007", "trailing\n",
    ];

    [Theory]
    [MemberData(nameof(TrickyStrings))]
    public void From_StringValue_ParsesBackToTheSameString(string value)
    {
        var node = new JsonObject { ["value"] = value, ["list"] = new JsonArray(value) };

        var yaml = YamlText.From(node);

        RoundTrip(yaml).ShouldBe(node.ToJsonString(), yaml);
    }

    [Theory]
    [MemberData(nameof(TrickyStrings))]
    public void From_StringKey_ParsesBackToTheSameKey(string key)
    {
        var node = new JsonObject { [key] = "v" };

        var yaml = YamlText.From(node);

        RoundTrip(yaml).ShouldBe(node.ToJsonString(), yaml);
    }

    [Fact]
    public void From_NumbersBooleansAndNull_KeepTheirTypes()
    {
        var node = new JsonObject { ["replicas"] = 3, ["ratio"] = 0.25, ["big"] = 12345678901234, ["enabled"] = true, ["paused"] = false, ["none"] = null };

        var yaml = YamlText.From(node);

        yaml.ShouldBe("replicas: 3\nratio: 0.25\nbig: 12345678901234\nenabled: true\npaused: false\nnone: null\n");
        RoundTrip(yaml).ShouldBe(node.ToJsonString());
    }

    [Fact]
    public void From_NestedArraysOfObjects_LikeKubectlAndParsesBack()
    {
        var node = JsonNode.Parse("""
            {
              "spec": {
                "podSelector": {},
                "policyTypes": ["Ingress"],
                "ingress": [
                  { "from": [ { "podSelector": {} }, { "namespaceSelector": { "matchLabels": { "team": "payments", "port": "8080" } } } ] },
                  { "ports": [ { "port": 80, "protocol": "TCP" }, { "port": 443 } ], "from": [] }
                ]
              }
            }
            """)!;

        var yaml = YamlText.From(node);

        yaml.ShouldBe("""
            spec:
              podSelector: {}
              policyTypes:
              - Ingress
              ingress:
              - from:
                - podSelector: {}
                - namespaceSelector:
                    matchLabels:
                      team: payments
                      port: "8080"
              - ports:
                - port: 80
                  protocol: TCP
                - port: 443
                from: []

            """.ReplaceLineEndings("\n"));
        RoundTrip(yaml).ShouldBe(node.ToJsonString());
    }

    [Fact]
    public void From_ArrayInAnArray_StartsOnItsParentsLine() =>
        YamlText.From(JsonNode.Parse("""{"matrix":[[1,2],["a"]]}""")!).ShouldBe("matrix:\n- - 1\n  - 2\n- - a\n");

    [Fact]
    public void From_ArraysOfArrays_ParseBack()
    {
        var node = JsonNode.Parse("""{ "matrix": [ [1, 2], [ ["deep", "er"], { "k": ["v"] } ], [] ], "top": [[{"a": 1, "b": [true]}]] }""")!;

        var yaml = YamlText.From(node);

        RoundTrip(yaml).ShouldBe(node.ToJsonString(), yaml);
    }

    [Fact]
    public void From_TopLevelArray_ParsesBack()
    {
        var node = JsonNode.Parse("""[ { "name": "a", "env": [ { "name": "X", "value": "1" } ] }, "plain", 3 ]""")!;

        var yaml = YamlText.From(node);

        RoundTrip(yaml).ShouldBe(node.ToJsonString(), yaml);
    }

    private static string RoundTrip(string yaml) => YamlJson.Parse(yaml).ShouldNotBeNull().ToJsonString();
}
