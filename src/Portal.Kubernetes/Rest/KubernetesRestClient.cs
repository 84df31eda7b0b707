using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Kubernetes.Model;

namespace Portal.Kubernetes.Rest;

/// <summary>Which objects a request is about: <c>/api/v1/namespaces/ns/pods</c> or <c>/apis/apps/v1/deployments</c>.</summary>
public sealed record ResourcePath(string Group, string Version, string Plural, string? Namespace = null)
{
    public static ResourcePath Pods(string? ns = null) => new("", "v1", "pods", ns);

    public override string ToString() =>
        (Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}") + (Namespace is null ? "" : $"/namespaces/{Uri.EscapeDataString(Namespace)}") + $"/{Plural}";
}

/// <summary>
/// A thin client of the Kubernetes REST API over an HttpClient whose handler carries the cluster's TLS and
/// credentials. Lists page with limit/continue; an expired continue token starts the list again, as client-go's
/// pager does; failures surface the API's Status reason and message.
/// </summary>
public sealed class KubernetesRestClient(HttpClient http)
{
    public const int DefaultPageSize = 500;

    public async Task<KubeList<T>> ListPageAsync<T>(ResourcePath path, JsonTypeInfo<KubeList<T>> type, int limit, string? continueToken, string? labelSelector, CancellationToken ct)
        where T : KubeObject
    {
        var query = new Dictionary<string, string?> { ["limit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (continueToken is not null)
        {
            query["continue"] = continueToken;
        }

        if (labelSelector is not null)
        {
            query["labelSelector"] = labelSelector;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, QueryHelpers.AddQueryString(path.ToString(), query));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync(type, ct) ?? new KubeList<T>();
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

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
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
}
