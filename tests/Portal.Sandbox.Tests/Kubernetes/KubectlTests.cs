using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Sandbox.Kubernetes;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;
using Portal.Testing;

namespace Portal.Sandbox.Tests.Kubernetes;

/// <summary>The demo sandbox, started once for the kubectl tests; each test works in its own namespace or deployment.</summary>
public sealed class SeededSandbox : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("sandbox-kubectl");

    public SandboxCluster Cluster { get; private set; } = default!;

    public string CacheDir => Path.Combine(_dir.Path, "kube-cache");

    public async Task InitializeAsync() =>
        Cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions(Path.Combine(_dir.Path, "sandbox")) { Port = 0, Timings = SandboxTimings.Fast, Seed = true }, NullLoggerFactory.Instance);

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>The real kubectl (the version the machine has) against the sandbox: what a user does with its kubeconfig.</summary>
public sealed class KubectlTests(SeededSandbox sandbox) : IClassFixture<SeededSandbox>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private async Task<Result> KubectlAsync(params string[] args)
    {
        var info = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["--kubeconfig", sandbox.Cluster.KubeconfigPath, "--cache-dir", sandbox.CacheDir, "--request-timeout=20s", .. args])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in {Patience}: {await stdout}{await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    private async Task<Result> SucceedsAsync(params string[] args)
    {
        var result = await KubectlAsync(args);
        result.ExitCode.ShouldBe(0, $"kubectl {string.Join(' ', args)}: {result.Stderr}");
        return result;
    }

    /// <summary>Runs kubectl until its output satisfies <paramref name="done"/>, as someone re-running a command would.</summary>
    private async Task<Result> EventuallyAsync(Func<Result, bool> done, params string[] args)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var result = await SucceedsAsync(args);
            if (done(result))
            {
                return result;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"kubectl {string.Join(' ', args)} never showed what was expected; last output:\n{result.Stdout}");
            }

            await Task.Delay(300);
        }
    }

    private async Task<string> RunningPodAsync(string ns, string app)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var pod = sandbox.Cluster.Store.List(ResourceTypes.Pods, ns).FirstOrDefault(p =>
                J.Str(p, "metadata", "labels", "app") == app && !J.IsTerminating(p)
                && J.Objects(J.At(p, "status", "containerStatuses")).Any(c => J.At(c, "state", "running") is not null));
            if (pod is not null)
            {
                return J.Name(pod);
            }

            await Task.Delay(100);
        }

        throw new ShouldAssertException($"no running {app} pod in {ns}");
    }

    [Fact]
    public async Task GetPods_AllNamespaces_ListsTheSeededPodsWithTheirStatus()
    {
        var result = await EventuallyAsync(r =>
                r.Lines.Count(l => l.StartsWith("prod ", StringComparison.Ordinal) && l.Contains(" payments-api-", StringComparison.Ordinal) && l.Contains(" 1/1 ", StringComparison.Ordinal) && l.Contains(" Running ", StringComparison.Ordinal)) == 3
                && r.Lines.Any(l => l.Contains(" search-api-", StringComparison.Ordinal) && (l.Contains("ErrImagePull", StringComparison.Ordinal) || l.Contains("ImagePullBackOff", StringComparison.Ordinal))),
            "get", "pods", "-A");

        result.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
        string[] seeded = ["dev", "test", "staging", "prod"];
        seeded.ShouldBeSubsetOf(result.Lines.Skip(1).Select(l => l.Split(' ')[0]));
    }

    [Fact]
    public async Task GetPvc_Prod_ShowsTheOrdersDatabaseClaimBoundWithItsSize()
    {
        var result = await EventuallyAsync(r => r.Lines.Any(l => l.StartsWith("orders-db-data ", StringComparison.Ordinal) && l.Contains(" Bound ", StringComparison.Ordinal)),
            "get", "pvc", "-n", "prod");

        result.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS", "MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"]);
        var cells = result.Lines.Single(l => l.StartsWith("orders-db-data ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        cells[..7].ShouldBe(["orders-db-data", "Bound", cells[2], "20Gi", "RWO", "gp3", "<unset>"]);
        cells[2].ShouldStartWith("pvc-");
    }

    [Fact]
    public async Task GetService_ProdLoadBalancer_ShowsItsExternalAddress()
    {
        var result = await SucceedsAsync("get", "service", "checkout-web-public", "-n", "prod");

        var cells = result.Lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        cells[..5].ShouldBe(["checkout-web-public", "LoadBalancer", "10.96.13.200", cells[3], "443:31443/TCP"]);
        cells[3].ShouldEndWith(".elb.eu-west-1.amazonaws.com");
    }

    [Fact]
    public async Task Apply_ThenApplyWithANewImage_RollsOutThroughANewReplicaSet()
    {
        using var dir = new TempDirectory("kubectl-apply");
        // Not `kubectl create namespace`: typed create commands send protobuf, which the sandbox does not read.
        sandbox.Cluster.Store.Create(ResourceTypes.Namespaces, System.Text.Json.Nodes.JsonNode.Parse("""{ "metadata": { "name": "apply-test" } }""")!.AsObject());
        string Manifest(string image) => $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: apply-test
              labels:
                app: web
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                  - name: web
                    image: {image}
            """;
        var file = dir.File("web.yaml");
        string[] replicaSets = ["get", "rs", "-n", "apply-test", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.spec.template.spec.containers[0].image}={.spec.replicas}/{.status.readyReplicas}{\"\\n\"}{end}"];

        await File.WriteAllTextAsync(file, Manifest("registry.test/web:1.0"));
        (await SucceedsAsync("apply", "-f", file)).Stdout.Trim().ShouldBe("deployment.apps/web created");
        await EventuallyAsync(r => r.Lines.SequenceEqual(["registry.test/web:1.0=2/2"]), replicaSets);

        await File.WriteAllTextAsync(file, Manifest("registry.test/web:2.0"));
        (await SucceedsAsync("apply", "-f", file)).Stdout.Trim().ShouldBe("deployment.apps/web configured");

        var rolledOut = await EventuallyAsync(r => r.Lines.Contains("registry.test/web:2.0=2/2") && r.Lines.Any(l => l.StartsWith("registry.test/web:1.0=0/", StringComparison.Ordinal)), replicaSets);
        rolledOut.Lines.Length.ShouldBe(2, "one ReplicaSet per template");
        (await SucceedsAsync("apply", "-f", file)).Stdout.Trim().ShouldBe("deployment.apps/web unchanged");
    }

    [Fact]
    public async Task Logs_OfARunningPod_StartWithItsStartLineAndHonourTail()
    {
        var pod = await RunningPodAsync("dev", "payments-api");

        var all = await SucceedsAsync("logs", "-n", "dev", pod);
        var last = await SucceedsAsync("logs", "-n", "dev", pod, "--tail=1");

        all.Lines[0].ShouldBe("level=info msg=\"starting payments-api\" container=payments-api port=8080 instance=0");
        last.Lines.ShouldHaveSingleItem().ShouldStartWith("level=");
    }

    [Fact]
    public async Task Logs_Previous_OfAPodThatNeverRestarted_FailsWithTheApisMessage()
    {
        var pod = await RunningPodAsync("test", "checkout-web");

        var result = await KubectlAsync("logs", "-n", "test", pod, "--previous");

        result.ExitCode.ShouldNotBe(0);
        result.Stderr.ShouldContain($"previous terminated container \"checkout-web\" in pod \"{pod}\" not found");
    }

    [Fact]
    public async Task Scale_ChangesTheReplicasAndTheDeploymentFollows()
    {
        (await SucceedsAsync("scale", "deployment/orders-worker", "-n", "staging", "--replicas=3")).Stdout.Trim().ShouldBe("deployment.apps/orders-worker scaled");

        J.Long(sandbox.Cluster.Store.Get(ResourceTypes.Deployments, "staging", "orders-worker"), "spec", "replicas").ShouldBe(3);
        await EventuallyAsync(r => r.Stdout.Trim() == "3/3", "get", "deployment", "orders-worker", "-n", "staging", "-o", "jsonpath={.status.readyReplicas}/{.spec.replicas}");
    }
}
