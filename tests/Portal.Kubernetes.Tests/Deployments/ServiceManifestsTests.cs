using System.Text.Json.Nodes;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Environments;
using Portal.Kubernetes.Deployments;
using Portal.Kubernetes.Model;

namespace Portal.Kubernetes.Tests.Deployments;

public sealed class ServiceManifestsTests
{
    internal static readonly PortalEnvironment Environment = new()
    {
        Name = "dev",
        DisplayName = "Dev",
        Tier = EnvironmentTier.Dev,
        Cluster = "sandbox",
        Namespace = "shop-dev",
        OwningTeam = "shop",
        CostCentre = "cc-1",
        CreatedBy = "alice",
    };

    internal static readonly DeploySpec Typical = new()
    {
        Image = "registry.example.com/shop/orders:1.4.2",
        Replicas = 2,
        Resources = new ResourceSettings("250m", "", "256Mi", "512Mi"),
        Env = new Dictionary<string, string> { ["LOG_LEVEL"] = "info", ["FEATURE_X"] = "on" },
        Secrets = [new SecretReference("DB_PASSWORD", "orders-db", "password")],
        Ports = [new ServicePort("http", 8080), new ServicePort("metrics", 9090)],
        HealthCheckPath = "/healthz",
        IngressHost = "orders.dev.example.com",
    };

    private const string Labels = """
            app.kubernetes.io/name: orders
            app.kubernetes.io/managed-by: portal
            portal.dev/environment: dev
            portal.dev/service: orders
        """;

    [Fact]
    public void Render_TypicalSpec_DeploymentServiceAndIngressInApplyOrder()
    {
        var objects = ServiceManifests.Render(Environment, "orders", Typical, 7);

        objects.Select(o => $"{o.Part}:{o.ApiVersion}/{o.Kind}/{o.Namespace}/{o.Name}").ShouldBe(
        [
            "deployment:apps/v1/Deployment/shop-dev/orders",
            "service:v1/Service/shop-dev/orders",
            "ingress:networking.k8s.io/v1/Ingress/shop-dev/orders",
        ]);
        objects[0].Yaml.ShouldBe(Lines($$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: orders
              namespace: shop-dev
              labels:
            {{Labels}}
              annotations:
                portal.dev/release: "7"
            spec:
              replicas: 2
              revisionHistoryLimit: 10
              progressDeadlineSeconds: 600
              minReadySeconds: 0
              selector:
                matchLabels:
                  app.kubernetes.io/name: orders
              strategy:
                type: RollingUpdate
                rollingUpdate:
                  maxSurge: "25%"
                  maxUnavailable: "25%"
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: orders
                    app: orders
                    portal.dev/environment: dev
                    portal.dev/service: orders
                spec:
                  containers:
                  - name: orders
                    image: "registry.example.com/shop/orders:1.4.2"
                    ports:
                    - name: http
                      containerPort: 8080
                      protocol: TCP
                    - name: metrics
                      containerPort: 9090
                      protocol: TCP
                    env:
                    - name: FEATURE_X
                      value: "on"
                    - name: LOG_LEVEL
                      value: info
                    - name: DB_PASSWORD
                      valueFrom:
                        secretKeyRef:
                          name: orders-db
                          key: password
                    resources:
                      requests:
                        cpu: 250m
                        memory: 256Mi
                      limits:
                        memory: 512Mi
                    readinessProbe:
                      httpGet:
                        path: /healthz
                        port: http
                    livenessProbe:
                      httpGet:
                        path: /healthz
                        port: http
            """));
        objects[1].Yaml.ShouldBe(Lines($$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: orders
              namespace: shop-dev
              labels:
            {{Labels}}
            spec:
              type: ClusterIP
              selector:
                app.kubernetes.io/name: orders
              ports:
              - name: http
                port: 8080
                targetPort: http
                protocol: TCP
              - name: metrics
                port: 9090
                targetPort: metrics
                protocol: TCP
            """));
        objects[2].Yaml.ShouldBe(Lines($$"""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: orders
              namespace: shop-dev
              labels:
            {{Labels}}
            spec:
              rules:
              - host: orders.dev.example.com
                http:
                  paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: orders
                        port:
                          name: http
            """));
    }

    [Fact]
    public void Render_NoIngressHostNoHealthCheckNoLimits_LeavesThemOut()
    {
        var spec = Typical with
        {
            IngressHost = null,
            HealthCheckPath = null,
            Resources = new ResourceSettings("100m", "", "128Mi", ""),
            Env = new Dictionary<string, string>(),
            Secrets = [],
        };

        var objects = ServiceManifests.Render(Environment, "orders", spec, 1);

        objects.Select(o => o.Part).ShouldBe(["deployment", "service"]);
        var container = YamlJson.Parse(objects[0].Yaml)!["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
        container.Select(p => p.Key).ShouldBe(["name", "image", "ports", "resources"]);
        container["resources"]!.ToJsonString().ShouldBe("""{"requests":{"cpu":"100m","memory":"128Mi"}}""");
    }

    [Fact]
    public void Render_ProgressDeadlineAndMinReadyConfigured_UsesThem()
    {
        var deployment = YamlJson.Parse(ServiceManifests.Render(Environment, "orders", Typical, 1, progressDeadlineSeconds: 120, minReadySeconds: 15)[0].Yaml)!;

        deployment["spec"]!["progressDeadlineSeconds"]!.GetValue<long>().ShouldBe(120);
        deployment["spec"]!["minReadySeconds"]!.GetValue<long>().ShouldBe(15);
    }

    [Fact]
    public void Render_HostileValues_StayOneStringEachInOneDocument()
    {
        const string hostile = "ok\"\n---\nkind: Secret\nmetadata: {{ .Values.name }}\n  injected: true # '\\";
        var spec = Typical with
        {
            Env = new Dictionary<string, string> { ["EVIL"] = hostile, ["PLAIN"] = "---" },
            Secrets = [new SecretReference("TOKEN", "name\n---\nx: y", "{{key}}")],
            HealthCheckPath = "/health\"z\n- oops",
        };

        foreach (var o in ServiceManifests.Render(Environment, "orders", spec, 1))
        {
            YamlJson.ParseAll(o.Yaml).Count.ShouldBe(1, o.Yaml);
            o.Yaml.Split('\n').ShouldNotContain("---");
        }

        var deployment = YamlJson.Parse(ServiceManifests.Render(Environment, "orders", spec, 1)[0].Yaml)!;
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        container["env"]!.ToJsonString().ShouldBe(new JsonArray(
            new JsonObject { ["name"] = "EVIL", ["value"] = hostile },
            new JsonObject { ["name"] = "PLAIN", ["value"] = "---" },
            new JsonObject
            {
                ["name"] = "TOKEN",
                ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = "name\n---\nx: y", ["key"] = "{{key}}" } },
            }).ToJsonString());
        container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>().ShouldBe("/health\"z\n- oops");
        deployment["kind"]!.GetValue<string>().ShouldBe("Deployment");
    }

    [Theory]
    [InlineData("Orders")]
    [InlineData("1orders")]
    [InlineData("orders,app=x")]
    [InlineData("orders-")]
    [InlineData("")]
    public void Render_ServiceNameNotAKubernetesName_Refused(string service)
    {
        Should.Throw<ArgumentException>(() => ServiceManifests.Render(Environment, service, Typical, 1)).ParamName.ShouldBe("service");
    }

    /// <summary>A raw string literal's text with the line ending YAML text has.</summary>
    private static string Lines(string text) => text.ReplaceLineEndings("\n") + "\n";
}
