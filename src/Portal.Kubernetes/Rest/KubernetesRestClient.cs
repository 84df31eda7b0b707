using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Kubernetes.Model;

namespace Portal.Kubernetes.Rest;

/// <summary>Which objects a request is about: <c>/api/v1/namespaces/ns/pods</c> or <c>/apis/apps/v1/deployments</c>.</summary>
public sealed record ResourcePath(string Group, string Version, string Plural, string? Namespace = null)
{
    public static ResourcePath Pods(string? ns = null) => new("", "v1", "pods", ns);

    public static ResourcePath Namespaces() => new("", "v1", "namespaces");

    public static ResourcePath Nodes() => new("", "v1", "nodes");

    public static ResourcePath Events(string? ns = null) => new("", "v1", "events", ns);

    public static ResourcePath Deployments(string? ns = null) => new("apps", "v1", "deployments", ns);

    public ResourcePath In(string? ns) => this with { Namespace = ns };

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public override string ToString() =>
        (Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}") + (Namespace is null ? "" : $"/namespaces/{Uri.EscapeDataString(Namespace)}") + $"/{Plural}";

    public string Item(string name, string? subresource = null) => $"{this}/{Uri.EscapeDataString(name)}" + (subresource is null ? "" : "/" + subresource);
}

/// <summary>What to read of a pod's log.</summary>
/// <summary>One resource of a discovery document: <c>deployments</c> is kind Deployment, namespaced.</summary>
public sealed record ApiResource(string Plural, string Kind, bool Namespaced);

public sealed record LogOptions(string? Container = null, int? TailLines = null, int? SinceSeconds = null, bool Previous = false, bool Follow = false, bool Timestamps = false, long? LimitBytes = null);

/// <summary>
/// A thin client of the Kubernetes REST API over an HttpClient whose handler carries the cluster's TLS and
/// credentials (see <see cref="Connection.ClusterHttp"/>): paged lists that survive an expired continue token, watches
/// with bookmarks, get, server-side apply, merge patches, delete with propagation, the scale subresource and pod
/// logs. Failures surface the API's Status reason and message as <see cref="KubernetesApiException"/>.
/// </summary>
public sealed class KubernetesRestClient(HttpClient http)
{
    public const int DefaultPageSize = 500;
    public const string FieldManager = "portal";

    /// <summary>How long one ordinary request may take (watches and followed logs are not bound by it).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a watch may stay silent (API servers send a bookmark about every minute) before it is given up.</summary>
    public TimeSpan WatchIdleTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public async Task<KubeList<T>> ListPageAsync<T>(ResourcePath path, JsonTypeInfo<KubeList<T>> type, int limit, string? continueToken, string? labelSelector, CancellationToken ct)
        where T : KubeObject
    {
        var query = new Dictionary<string, string?> { ["limit"] = limit.ToString(CultureInfo.InvariantCulture) };
        if (continueToken is not null)
        {
            query["continue"] = continueToken;
        }

        if (labelSelector is not null)
        {
            query["labelSelector"] = labelSelector;
        }

        return await SendAsync(HttpMethod.Get, QueryHelpers.AddQueryString(path.ToString(), query), null, type, ct) ?? new KubeList<T>();
    }

    /// <summary>Every object, page by page. If the server expires the continue token midway, the list starts over.</summary>
    public async IAsyncEnumerable<T> ListAllAsync<T>(ResourcePath path, JsonTypeInfo<KubeList<T>> type, string? labelSelector = null,
        int pageSize = DefaultPageSize, [EnumeratorCancellation] CancellationToken ct = default)
        where T : KubeObject
    {
        var restarted = false;
        string? next = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            KubeList<T> page;
            try
            {
                page = await ListPageAsync(path, type, pageSize, next, labelSelector, ct);
            }
            catch (KubernetesApiException ex) when (ex.IsExpired && next is not null && !restarted)
            {
                restarted = true;
                next = null;
                continue;
            }

            foreach (var item in page.Items)
            {
                // After a restart, objects already yielded are not yielded twice.
                if (seen.Add(item.Metadata.Uid ?? $"{item.Metadata.Namespace}/{item.Metadata.Name}"))
                {
                    yield return item;
                }
            }

            next = string.IsNullOrEmpty(page.Metadata.Continue) ? null : page.Metadata.Continue;
            if (next is null)
            {
                yield break;
            }
        }
    }

    /// <summary>A full list (all pages) with the resource version to watch from.</summary>
    public async Task<(List<T> Items, string ResourceVersion)> ListWithVersionAsync<T>(ResourcePath path, JsonTypeInfo<KubeList<T>> type, CancellationToken ct)
        where T : KubeObject
    {
        var items = new List<T>();
        string? next = null;
        while (true)
        {
            var page = await ListPageAsync(path, type, DefaultPageSize, next, null, ct);
            items.AddRange(page.Items);
            next = string.IsNullOrEmpty(page.Metadata.Continue) ? null : page.Metadata.Continue;
            if (next is null)
            {
                return (items, page.Metadata.ResourceVersion ?? "");
            }
        }
    }

    public Task<T?> GetAsync<T>(ResourcePath path, string name, JsonTypeInfo<T> type, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, path.Item(name), null, type, ct);

    /// <summary>
    /// Watches from <paramref name="resourceVersion"/>: each event as it arrives, BOOKMARKs included (their object
    /// carries only the new resource version). A 410 (as an ERROR event or a status) throws an expired
    /// <see cref="KubernetesApiException"/>: list again and watch from the list's version.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourcePath path, JsonTypeInfo<T> type, string resourceVersion,
        string? fieldSelector = null, TimeSpan? timeout = null, [EnumeratorCancellation] CancellationToken ct = default)
        where T : KubeObject
    {
        var query = new Dictionary<string, string?>
        {
            ["watch"] = "true",
            ["allowWatchBookmarks"] = "true",
            ["resourceVersion"] = resourceVersion,
            ["timeoutSeconds"] = ((int)(timeout ?? TimeSpan.FromMinutes(5)).TotalSeconds).ToString(CultureInfo.InvariantCulture),
        };
        if (fieldSelector is not null)
        {
            query["fieldSelector"] = fieldSelector;
        }

        // Deadlines of our own: the headers within RequestTimeout, the whole watch within its timeout plus a margin, and
        // no silence longer than WatchIdleTimeout (bookmarks keep a healthy watch talking). A stalled cluster or a
        // half-open connection then ends the watch as a timeout instead of freezing the cache.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter((timeout ?? TimeSpan.FromMinutes(5)) + TimeSpan.FromSeconds(30));
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        idle.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, Relative(QueryHelpers.AddQueryString(path.ToString(), query)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"the watch of {path} did not start within {RequestTimeout.TotalSeconds:0} s");
        }

        using var _ = response;
        await EnsureSuccessAsync(response, idle.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(idle.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (true)
        {
            idle.CancelAfter(WatchIdleTimeout);
            string? line;
            try
            {
                line = await reader.ReadLineAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"the watch of {path} went silent for more than {WatchIdleTimeout.TotalSeconds:0} s");
            }

            if (line is null)
            {
                yield break;
            }

            if (line.Length == 0)
            {
                continue;
            }

            var raw = JsonSerializer.Deserialize(line, KubernetesJson.Default.RawWatchEvent)
                ?? throw new KubernetesApiException(HttpStatusCode.InternalServerError, "InternalError", "empty watch event");
            if (raw.Type == "ERROR")
            {
                var status = raw.Object.Deserialize(KubernetesJson.Default.ApiStatus);
                throw new KubernetesApiException((HttpStatusCode)(status?.Code ?? 500), status?.Reason, status?.Message ?? "watch error");
            }

            yield return new WatchEvent<T> { Type = raw.Type, Object = raw.Object.Deserialize(type) };
        }
    }

    /// <summary>Server-side apply as field manager <c>portal</c>; <paramref name="force"/> takes fields other managers own.</summary>
    public Task<T?> ApplyAsync<T>(ResourcePath path, string name, string manifestJsonOrYaml, JsonTypeInfo<T> type, bool force = false, bool dryRun = false, CancellationToken ct = default)
    {
        var query = new Dictionary<string, string?> { ["fieldManager"] = FieldManager };
        if (force)
        {
            query["force"] = "true";
        }

        if (dryRun)
        {
            query["dryRun"] = "All";
        }

        var content = new StringContent(manifestJsonOrYaml, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        return SendAsync(HttpMethod.Patch, QueryHelpers.AddQueryString(path.Item(name), query), content, type, ct);
    }

    /// <summary>A JSON merge patch (RFC 7386) as field manager <c>portal</c>.</summary>
    public Task<T?> MergePatchAsync<T>(ResourcePath path, string name, string patchJson, JsonTypeInfo<T> type, string? subresource = null, CancellationToken ct = default)
    {
        var content = new StringContent(patchJson, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        return SendAsync(HttpMethod.Patch, $"{path.Item(name, subresource)}?fieldManager={FieldManager}", content, type, ct);
    }

    /// <summary>Sets the replica count through the scale subresource.</summary>
    public Task<Scale?> ScaleAsync(ResourcePath path, string name, int replicas, CancellationToken ct) =>
        MergePatchAsync(path, name, $"{{\"spec\":{{\"replicas\":{replicas.ToString(CultureInfo.InvariantCulture)}}}}}", KubernetesJson.Default.Scale, "scale", ct);

    /// <summary>Deletes with a propagation policy (Background, Foreground, Orphan) and optional grace period.</summary>
    public async Task DeleteAsync(ResourcePath path, string name, string propagationPolicy = "Background", int? gracePeriodSeconds = null, CancellationToken ct = default)
    {
        var body = gracePeriodSeconds is { } g
            ? $"{{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"{propagationPolicy}\",\"gracePeriodSeconds\":{g.ToString(CultureInfo.InvariantCulture)}}}"
            : $"{{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"{propagationPolicy}\"}}";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Delete, Relative(path.Item(name))) { Content = content };

        // The answer is the object (being deleted gracefully) or a Status (gone at once): success is all that matters.
        await WithinRequestTimeoutAsync(async deadline =>
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline);
            await EnsureSuccessAsync(response, deadline);
            return true;
        }, ct);
    }

    /// <summary>A pod's log as a stream of text; with <see cref="LogOptions.Follow"/> it stays open and grows.</summary>
    public async Task<Stream> LogsAsync(string ns, string pod, LogOptions options, CancellationToken ct)
    {
        var query = new Dictionary<string, string?>();
        if (options.Container is not null)
        {
            query["container"] = options.Container;
        }

        if (options.TailLines is { } tail)
        {
            query["tailLines"] = tail.ToString(CultureInfo.InvariantCulture);
        }

        if (options.SinceSeconds is { } since)
        {
            query["sinceSeconds"] = since.ToString(CultureInfo.InvariantCulture);
        }

        if (options.LimitBytes is { } limit)
        {
            query["limitBytes"] = limit.ToString(CultureInfo.InvariantCulture);
        }

        if (options.Previous)
        {
            query["previous"] = "true";
        }

        if (options.Follow)
        {
            query["follow"] = "true";
        }

        if (options.Timestamps)
        {
            query["timestamps"] = "true";
        }

        // The answer's head within RequestTimeout, as for every other call; the body then streams (a followed log for
        // as long as the reader wants), so the deadline ends with the head.
        var request = new HttpRequestMessage(HttpMethod.Get, Relative(QueryHelpers.AddQueryString(ResourcePath.Pods(ns).Item(pod, "log"), query)));
        HttpResponseMessage response;
        try
        {
            response = await WithinRequestTimeoutAsync(deadline => http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline), ct);
        }
        catch
        {
            request.Dispose();
            throw;
        }

        try
        {
            await EnsureSuccessAsync(response, ct);
            return new ResponseStream(await response.Content.ReadAsStreamAsync(ct), response, request);
        }
        catch
        {
            response.Dispose();
            request.Dispose();
            throw;
        }
    }

    /// <summary>The server's version (<c>/version</c>): a cheap reachability and credentials check.</summary>
    public async Task<string> VersionAsync(CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(RequestTimeout);
        using var response = await http.GetAsync(Relative("/version"), cts.Token);
        await EnsureSuccessAsync(response, cts.Token);
        using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cts.Token), cancellationToken: cts.Token);
        return doc.RootElement.TryGetProperty("gitVersion", out var v) ? v.GetString() ?? "" : "";
    }

    /// <summary>
    /// The resources one API group version serves (<c>GET /api/v1</c>, <c>GET /apis/apps/v1</c>): for each kind, its
    /// plural (the path segment) and whether it lives in a namespace. Subresources are left out.
    /// </summary>
    public async Task<IReadOnlyList<ApiResource>> DiscoverAsync(string groupVersion, CancellationToken ct)
    {
        var path = groupVersion.Contains('/', StringComparison.Ordinal) ? $"/apis/{groupVersion}" : $"/api/{groupVersion}";
        var list = await SendAsync(HttpMethod.Get, path, null, KubernetesJson.Default.JsonElement, ct);
        if (!list.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. resources.EnumerateArray()
            .Select(r => new ApiResource(
                r.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "",
                r.TryGetProperty("kind", out var k) ? k.GetString() ?? "" : "",
                r.TryGetProperty("namespaced", out var ns) && ns.ValueKind == JsonValueKind.True))
            .Where(r => r.Plural.Length > 0 && !r.Plural.Contains('/', StringComparison.Ordinal))];
    }

    private async Task<T?> SendAsync<T>(HttpMethod method, string uri, HttpContent? content, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, Relative(uri)) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await WithinRequestTimeoutAsync(async deadline =>
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline);
            await EnsureSuccessAsync(response, deadline);
            return await response.Content.ReadFromJsonAsync(type, deadline);
        }, ct);
    }

    /// <summary>
    /// Runs <paramref name="call"/> with a token that also ends after <see cref="RequestTimeout"/>. Our deadline passing
    /// (not the caller's cancellation) is a 504 Timeout, as the API server words its own; otherwise a bare cancellation
    /// surfaced as a 500.
    /// </summary>
    private async Task<T> WithinRequestTimeoutAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(RequestTimeout);
        try
        {
            return await call(deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new KubernetesApiException(HttpStatusCode.GatewayTimeout, "Timeout", $"the cluster did not answer within {RequestTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// API paths relative to the client's base address, so a server URL with a path (a proxy serving the cluster under
    /// <c>/k8s/clusters/c-1</c>) keeps it: an absolute path would replace the base address's path.
    /// </summary>
    private static string Relative(string pathAndQuery) => pathAndQuery.TrimStart('/');

    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(ct);
        ApiStatus? status = null;
        try
        {
            status = JsonSerializer.Deserialize(body, KubernetesJson.Default.ApiStatus);
        }
        catch (JsonException)
        {
            // Not a Status (a proxy's HTML page, say): the HTTP status alone has to do.
        }

        throw new KubernetesApiException(response.StatusCode, status?.Reason, status?.Message ?? response.ReasonPhrase ?? "request failed");
    }

    /// <summary>A response body that disposes its response (and request) with it.</summary>
    private sealed class ResponseStream(Stream inner, HttpResponseMessage response, HttpRequestMessage request) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
                request.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
