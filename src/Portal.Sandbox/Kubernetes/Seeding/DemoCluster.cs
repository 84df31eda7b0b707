using System.Text;
using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Seeding;

/// <summary>
/// The demo organisation a fresh sandbox starts with: three nodes in three zones, and the environments dev, test,
/// staging and prod, each with its services (deployments, services, ingresses, config, secrets — labelled as Portal labels what it deploys), quota, limits,
/// network policies, role bindings, and the orders database's volume claim; prod also has a load balancer. dev runs one service that crash-loops and staging one whose image cannot
/// be pulled, so every page has something to show.
/// </summary>
public static class DemoCluster
{
    private sealed record DemoService(string Name, string Image, string Cpu, string Memory, bool Exposed);

    private static readonly DemoService[] Services =
    [
        new("payments-api", "registry.portal.test/payments/payments-api:1.4.2", "100m", "128Mi", true),
        new("checkout-web", "registry.portal.test/web/checkout-web:3.2.0", "50m", "96Mi", true),
        new("orders-worker", "registry.portal.test/orders/orders-worker:2.7.1", "200m", "256Mi", false),
        new("inventory-api", "registry.portal.test/inventory/inventory-api:0.9.4", "100m", "192Mi", true),
        new("notifications", "registry.portal.test/platform/notifications:1.1.0", "50m", "64Mi", false),
    ];

    private static readonly (string Name, string Tier, string Team, string CostCentre, int Scale)[] Environments =
    [
        ("dev", "dev", "payments", "cc-1001", 1),
        ("test", "test", "payments", "cc-1001", 1),
        ("staging", "staging", "platform", "cc-2001", 2),
        ("prod", "prod", "platform", "cc-2001", 3),
    ];

    public static void Seed(ObjectStore store)
    {
        string[] zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
        for (var i = 0; i < 3; i++)
        {
            store.Create(ResourceTypes.Nodes, Node($"sandbox-node-{i + 1}", zones[i], i));
        }

        store.Create(ResourceTypes.Namespaces, Namespace("default", []));
        store.Create(ResourceTypes.Namespaces, Namespace("kube-system", []));
        foreach (var env in Environments)
        {
            SeedEnvironment(store, env);
        }
    }

    private static void SeedEnvironment(ObjectStore store, (string Name, string Tier, string Team, string CostCentre, int Scale) env)
    {
        var ns = env.Name;
        store.Create(ResourceTypes.Namespaces, Namespace(ns, new()
        {
            ["app.kubernetes.io/managed-by"] = "portal",
            ["portal.dev/environment"] = env.Name,
            ["portal.dev/tier"] = env.Tier,
            ["portal.dev/team"] = env.Team,
            ["portal.dev/cost-centre"] = env.CostCentre,
        }));
        var big = env.Tier == "prod";
        store.Create(ResourceTypes.ResourceQuotas, Parse($$"""
            { "metadata": { "name": "portal-quota", "namespace": "{{ns}}" },
              "spec": { "hard": { "requests.cpu": "{{(big ? "8" : "4")}}", "requests.memory": "{{(big ? "16Gi" : "8Gi")}}", "limits.cpu": "{{(big ? "16" : "8")}}", "limits.memory": "{{(big ? "32Gi" : "16Gi")}}", "pods": "{{(big ? "100" : "40")}}" } } }
            """));
        store.Create(ResourceTypes.LimitRanges, Parse($$"""
            { "metadata": { "name": "portal-defaults", "namespace": "{{ns}}" },
              "spec": { "limits": [ { "type": "Container", "default": { "cpu": "500m", "memory": "512Mi" }, "defaultRequest": { "cpu": "100m", "memory": "128Mi" }, "max": { "cpu": "2", "memory": "4Gi" } } ] } }
            """));
        store.Create(ResourceTypes.NetworkPolicies, Parse($$"""
            { "metadata": { "name": "default-deny", "namespace": "{{ns}}" }, "spec": { "podSelector": {}, "policyTypes": [ "Ingress", "Egress" ] } }
            """));
        store.Create(ResourceTypes.NetworkPolicies, Parse($$"""
            { "metadata": { "name": "allow-same-environment", "namespace": "{{ns}}" },
              "spec": { "podSelector": {}, "policyTypes": [ "Ingress", "Egress" ],
                        "ingress": [ { "from": [ { "podSelector": {} }, { "namespaceSelector": { "matchLabels": { "kubernetes.io/metadata.name": "ingress-nginx" } } } ] } ],
                        "egress": [ { "to": [ { "podSelector": {} } ] }, { "to": [ { "namespaceSelector": {} } ], "ports": [ { "port": 53, "protocol": "UDP" } ] } ] } }
            """));
        foreach (var (role, group) in new[] { ("edit", "developers"), ("view", "viewers") })
        {
            store.Create(ResourceTypes.RoleBindings, Parse($$"""
                { "metadata": { "name": "portal-{{group}}", "namespace": "{{ns}}" },
                  "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "{{role}}" },
                  "subjects": [ { "apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "portal:{{ns}}:{{group}}" } ] }
                """));
        }

        var services = Services.ToList();
        if (env.Name == "dev")
        {
            services.Add(new("recommendations", "registry.portal.test/ml/recommendations:2.0.0-crash", "100m", "128Mi", false));
        }

        if (env.Name == "staging")
        {
            services.Add(new("search-api", "registry.portal.test/search/search-api:5.0.0-bad", "100m", "128Mi", true));
        }

        foreach (var service in services)
        {
            var replicas = service.Image.Contains("-crash", StringComparison.Ordinal) || service.Image.Contains("-bad", StringComparison.Ordinal)
                ? 1
                : Math.Max(1, service.Name is "orders-worker" or "notifications" ? env.Scale - 1 : env.Scale);
            store.Create(ResourceTypes.Deployments, Parse($$"""
                { "metadata": { "name": "{{service.Name}}", "namespace": "{{ns}}",
                                "labels": { "app": "{{service.Name}}", "app.kubernetes.io/name": "{{service.Name}}", "app.kubernetes.io/part-of": "shop", "portal.dev/team": "{{env.Team}}",
                                            "app.kubernetes.io/managed-by": "portal", "portal.dev/environment": "{{ns}}", "portal.dev/service": "{{service.Name}}" } },
                  "spec": { "replicas": {{replicas}}, "revisionHistoryLimit": 10,
                            "selector": { "matchLabels": { "app.kubernetes.io/name": "{{service.Name}}" } },
                            "strategy": { "type": "RollingUpdate", "rollingUpdate": { "maxSurge": "25%", "maxUnavailable": "25%" } },
                            "template": { "metadata": { "labels": { "app": "{{service.Name}}", "app.kubernetes.io/name": "{{service.Name}}", "portal.dev/team": "{{env.Team}}",
                                                                  "portal.dev/environment": "{{ns}}", "portal.dev/service": "{{service.Name}}" } },
                                          "spec": { "containers": [ { "name": "{{service.Name}}", "image": "{{service.Image}}",
                                                                      "ports": [ { "name": "http", "containerPort": 8080, "protocol": "TCP" } ],
                                                                      "env": [ { "name": "ENVIRONMENT", "value": "{{ns}}" } ],
                                                                      "resources": { "requests": { "cpu": "{{service.Cpu}}", "memory": "{{service.Memory}}" },
                                                                                     "limits": { "cpu": "500m", "memory": "512Mi" } } } ],
                                                    "terminationGracePeriodSeconds": 30 } } } }
                """));
            if (service.Exposed)
            {
                store.Create(ResourceTypes.Services, Parse($$"""
                    { "metadata": { "name": "{{service.Name}}", "namespace": "{{ns}}", "labels": { "app": "{{service.Name}}", "app.kubernetes.io/managed-by": "portal", "portal.dev/environment": "{{ns}}", "portal.dev/service": "{{service.Name}}" } },
                      "spec": { "type": "ClusterIP", "clusterIP": "10.96.{{Environments.ToList().FindIndex(e => e.Name == env.Name) + 10}}.{{services.IndexOf(service) + 10}}",
                                "selector": { "app.kubernetes.io/name": "{{service.Name}}" }, "ports": [ { "name": "http", "port": 8080, "targetPort": "http", "protocol": "TCP" } ] } }
                    """));
                store.Create(ResourceTypes.Ingresses, Parse($$"""
                    { "metadata": { "name": "{{service.Name}}", "namespace": "{{ns}}", "labels": { "app.kubernetes.io/managed-by": "portal", "portal.dev/environment": "{{ns}}", "portal.dev/service": "{{service.Name}}" } },
                      "spec": { "ingressClassName": "nginx",
                                "rules": [ { "host": "{{service.Name}}.{{ns}}.portal.test",
                                             "http": { "paths": [ { "path": "/", "pathType": "Prefix", "backend": { "service": { "name": "{{service.Name}}", "port": { "name": "http" } } } } ] } } ] } }
                    """));
            }

            store.Create(ResourceTypes.ConfigMaps, Parse($$"""
                { "metadata": { "name": "{{service.Name}}-config", "namespace": "{{ns}}" },
                  "data": { "LOG_LEVEL": "{{(env.Tier == "prod" ? "info" : "debug")}}", "HTTP_PORT": "8080", "FEATURE_FLAGS": "new-checkout,fast-search" } }
                """));
            store.Create(ResourceTypes.Secrets, Parse($$"""
                { "metadata": { "name": "{{service.Name}}-secrets", "namespace": "{{ns}}" }, "type": "Opaque",
                  "data": { "DATABASE_PASSWORD": "{{B64($"{service.Name}-{ns}-db-password")}}", "API_KEY": "{{B64($"sk_{ns}_{service.Name}_0f3a9c")}}" } }
                """));
        }

        SeedCostedExtras(store, env.Name, env.Tier);
    }

    /// <summary>
    /// What costs money besides pods: the orders database's volume in every environment (the binder gives it a volume
    /// on the first pass), and in prod a cloud load balancer in front of checkout-web, already given its address.
    /// </summary>
    private static void SeedCostedExtras(ObjectStore store, string ns, string tier)
    {
        store.Create(ResourceTypes.PersistentVolumeClaims, Parse($$"""
            { "metadata": { "name": "orders-db-data", "namespace": "{{ns}}",
                            "labels": { "app.kubernetes.io/name": "orders-db", "app.kubernetes.io/managed-by": "portal", "portal.dev/environment": "{{ns}}" } },
              "spec": { "accessModes": [ "ReadWriteOnce" ], "storageClassName": "gp3", "volumeMode": "Filesystem", "resources": { "requests": { "storage": "20Gi" } } } }
            """));
        if (tier != "prod")
        {
            return;
        }

        store.Create(ResourceTypes.Services, Parse($$"""
            { "metadata": { "name": "checkout-web-public", "namespace": "{{ns}}",
                            "labels": { "app": "checkout-web", "app.kubernetes.io/managed-by": "portal", "portal.dev/environment": "{{ns}}", "portal.dev/service": "checkout-web" },
                            "annotations": { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" } },
              "spec": { "type": "LoadBalancer", "clusterIP": "10.96.13.200", "externalTrafficPolicy": "Cluster",
                        "selector": { "app.kubernetes.io/name": "checkout-web" },
                        "ports": [ { "name": "https", "port": 443, "targetPort": "http", "protocol": "TCP", "nodePort": 31443 } ] },
              "status": { "loadBalancer": { "ingress": [ { "hostname": "a3f9c2e1b7d44e0c9a1b2c3d4e5f6a7b-1f2e3d4c5b6a7980.elb.eu-west-1.amazonaws.com" } ] } } }
            """));
    }

    private static JsonObject Node(string name, string zone, int index) => Parse($$"""
        { "metadata": { "name": "{{name}}",
                        "labels": { "kubernetes.io/hostname": "{{name}}", "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
                                    "node.kubernetes.io/instance-type": "m5.xlarge", "topology.kubernetes.io/region": "eu-west-1",
                                    "topology.kubernetes.io/zone": "{{zone}}", "eks.amazonaws.com/capacityType": "ON_DEMAND" } },
          "spec": { "podCIDR": "10.244.{{index}}.0/24", "providerID": "aws:///{{zone}}/i-0{{index}}a1b2c3d4e5f6078" },
          "status": {
            "capacity": { "cpu": "4", "memory": "16243848Ki", "pods": "110", "ephemeral-storage": "83873772Ki" },
            "allocatable": { "cpu": "3920m", "memory": "15192200Ki", "pods": "110", "ephemeral-storage": "76224326324" },
            "conditions": [
              { "type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory", "message": "kubelet has sufficient memory available" },
              { "type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure", "message": "kubelet has no disk pressure" },
              { "type": "PIDPressure", "status": "False", "reason": "KubeletHasSufficientPID", "message": "kubelet has sufficient PID available" },
              { "type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status" } ],
            "addresses": [ { "type": "InternalIP", "address": "172.18.0.{{index + 2}}" }, { "type": "Hostname", "address": "{{name}}" } ],
            "nodeInfo": { "kubeletVersion": "v1.32.0", "osImage": "Bottlerocket OS 1.20.0 (aws-k8s-1.32)", "containerRuntimeVersion": "containerd://1.7.20",
                          "kernelVersion": "6.1.102", "operatingSystem": "linux", "architecture": "amd64" } } }
        """);

    private static JsonObject Namespace(string name, Dictionary<string, string> labels) =>
        new() { ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = J.ToJson(labels) } };

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
}
