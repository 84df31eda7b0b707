using System.Net;
using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Tests.Kubernetes.Controllers;

public sealed class LimitRangerTests
{
    private static TestCluster WithLimitRange()
    {
        var cluster = new TestCluster();
        cluster.Create(ResourceTypes.LimitRanges, $$"""
            { "metadata": { "name": "defaults", "namespace": "{{TestCluster.Ns}}" },
              "spec": { "limits": [ { "type": "Container", "default": { "cpu": "500m", "memory": "512Mi" },
                                      "defaultRequest": { "cpu": "100m", "memory": "128Mi" }, "max": { "cpu": "2" } } ] } }
            """);
        return cluster;
    }

    private static JsonNode? Resources(JsonObject pod) => J.At(pod, "spec", "containers")![0]!["resources"];

    [Fact]
    public async Task Admit_ContainerWithoutResources_GetsTheDefaultRequestsAndLimits()
    {
        await using var cluster = WithLimitRange();

        var pod = cluster.CreatePod("p", "app:1");

        JsonNode.DeepEquals(Resources(pod), JsonNode.Parse("""
            { "limits": { "cpu": "500m", "memory": "512Mi" }, "requests": { "cpu": "100m", "memory": "128Mi" } }
            """)).ShouldBeTrue(Resources(pod)!.ToJsonString());
    }

    [Fact]
    public async Task Admit_WhatTheContainerSetsItself_IsKept()
    {
        await using var cluster = WithLimitRange();

        var pod = cluster.CreatePod("p", "app:1", resources: """{ "requests": { "cpu": "250m" }, "limits": { "memory": "1Gi" } }""");

        J.Str(Resources(pod), "requests", "cpu").ShouldBe("250m");
        J.Str(Resources(pod), "limits", "memory").ShouldBe("1Gi");
        J.Str(Resources(pod), "limits", "cpu").ShouldBe("500m");

        // Its own memory limit, not the range's defaultRequest, becomes its memory request (the API's defaulting).
        J.Str(Resources(pod), "requests", "memory").ShouldBe("1Gi");
    }

    [Fact]
    public async Task Admit_LimitAboveTheMaximum_IsForbidden()
    {
        await using var cluster = WithLimitRange();

        var error = Should.Throw<StatusError>(() => cluster.CreatePod("p", "app:1", resources: """{ "limits": { "cpu": "3" } }"""));

        error.Code.ShouldBe(HttpStatusCode.Forbidden);
        error.Message.ShouldBe("pods \"p\" is forbidden: maximum cpu usage per Container is 2, but limit is 3");
    }

    [Fact]
    public async Task Admit_OtherNamespaces_AreNotDefaulted()
    {
        await using var cluster = WithLimitRange();
        cluster.Create(ResourceTypes.Namespaces, """{ "metadata": { "name": "elsewhere" } }""");

        var pod = cluster.Create(ResourceTypes.Pods, """{ "metadata": { "name": "p", "namespace": "elsewhere" }, "spec": { "containers": [ { "name": "app", "image": "app:1" } ] } }""");

        J.At(pod, "spec", "containers")![0]!["resources"].ShouldBeNull();
    }
}
