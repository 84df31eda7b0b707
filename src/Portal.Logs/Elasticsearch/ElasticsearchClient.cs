using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Aws.Signing;
using Portal.Core.Logs;

namespace Portal.Logs.Elasticsearch;

/// <summary>
/// A thin client of the Elasticsearch/OpenSearch REST API (Elastic.Clients.Elasticsearch is not on the mirror): JSON
/// in and out, 429s retried after <c>Retry-After</c> or with exponential back-off, every failure turned into a
/// <see cref="LogBackendException"/> whose message never carries the URL's user info, the password or the API key.
/// </summary>
internal sealed class ElasticsearchClient
{
    public const string HttpClientName = "Portal.Logs.Elasticsearch";

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Bodies go to the engine, not into HTML: non-ASCII text and + &lt; &gt; &amp; stay as they are. A query may nest
    /// <see cref="Portal.Core.Logs.Kql.KqlParser.MaxDepth"/> levels, three JSON levels each, past the writer's default of 64:
    /// the body is always written, and a query too deep for the engine gets the engine's own 400 (an invalid query).
    /// </summary>
    private static readonly JsonSerializerOptions WireJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 1024 };

    private readonly HttpClient _http;
    private readonly ElasticsearchOptions _options;
    private readonly TimeProvider _clock;
    private readonly Uri _base;
    private readonly string _endpoint;
    private readonly ElasticsearchCredentials _credentials;
    private ElasticsearchServerInfo? _info;

    public ElasticsearchClient(HttpClient http, ElasticsearchOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options.Url);
        _http = http;
        _options = options;
        _clock = clock;
        var url = options.Url;
        var withoutUserInfo = new UriBuilder(url) { UserName = "", Password = "" };
        if (!withoutUserInfo.Path.EndsWith('/'))
        {
            withoutUserInfo.Path += "/";
        }

        _base = withoutUserInfo.Uri;
        _endpoint = url.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
        _credentials = new ElasticsearchCredentials(options);
    }

    /// <summary>"Elasticsearch" or "OpenSearch", for messages.</summary>
    public string Product => (_info?.Flavor ?? _options.Flavor) == ElasticsearchFlavor.OpenSearch ? "OpenSearch" : "Elasticsearch";

    /// <summary>The engine's flavor and version, asked once (not at all when the flavor is configured as Elasticsearch).</summary>
    public async Task<ElasticsearchServerInfo> ServerInfoAsync(CancellationToken ct)
    {
        if (_info is not null)
        {
            return _info;
        }

        if (_options.Flavor == ElasticsearchFlavor.Elasticsearch)
        {
            return _info = new ElasticsearchServerInfo(ElasticsearchFlavor.Elasticsearch, null);
        }

        var root = await SendAsync(HttpMethod.Get, "", null, ct);
        var distribution = root["version"]?["distribution"]?.GetValue<string>();
        var flavor = _options.Flavor == ElasticsearchFlavor.OpenSearch || string.Equals(distribution, "opensearch", StringComparison.OrdinalIgnoreCase)
            ? ElasticsearchFlavor.OpenSearch
            : ElasticsearchFlavor.Elasticsearch;
        return _info = new ElasticsearchServerInfo(flavor, ParseVersion(root["version"]?["number"]?.GetValue<string>()));
    }

    /// <summary>Opens a point in time on <paramref name="indices"/>: <c>_pit</c> on Elasticsearch, <c>_search/point_in_time</c> on OpenSearch.</summary>
    public async Task<string> OpenPointInTimeAsync(string indices, CancellationToken ct)
    {
        var info = await ServerInfoAsync(ct);
        var path = info.Flavor == ElasticsearchFlavor.OpenSearch ? "_search/point_in_time" : "_pit";
        var response = await SendAsync(HttpMethod.Post, $"{indices}/{path}?keep_alive={Uri.EscapeDataString(_options.PointInTimeKeepAlive)}", null, ct);
        return ElasticsearchResponses.ParsePitId(response)
            ?? throw new LogBackendException(LogBackendFailure.Unavailable, $"{Product} opened a point in time but returned no id.");
    }

    /// <summary>Frees a point in time; a failure is ignored (the keep-alive frees it soon anyway).</summary>
    public async Task ClosePointInTimeAsync(string pitId, CancellationToken ct)
    {
        var info = await ServerInfoAsync(ct);
        var (path, body) = info.Flavor == ElasticsearchFlavor.OpenSearch
            ? ("_search/point_in_time", new JsonObject { ["pit_id"] = new JsonArray(pitId) })
            : ("_pit", new JsonObject { ["id"] = pitId });
        try
        {
            await SendAsync(HttpMethod.Delete, path, body, ct);
        }
        catch (Exception ex) when (ex is LogBackendException or PointInTimeMissingException)
        {
            // Nothing to do: it expires on its own.
        }
    }

    /// <summary><c>POST /&lt;indices&gt;/_search</c>, or <c>POST /_search</c> when the body names a point in time.</summary>
    /// <exception cref="PointInTimeMissingException">The body's point in time is gone.</exception>
    public Task<JsonObject> SearchAsync(string? indices, JsonObject body, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, indices is null ? "_search" : $"{indices}/_search", body, ct);

    public Task<JsonObject> FieldCapsAsync(string indices, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"{indices}/_field_caps?fields=*", null, ct);

    public Task<JsonObject> ClusterHealthAsync(CancellationToken ct) => SendAsync(HttpMethod.Get, "_cluster/health", null, ct);

    private async Task<JsonObject> SendAsync(HttpMethod method, string relative, JsonObject? body, CancellationToken ct)
    {
        var uri = new Uri(_base, relative);
        var payload = body?.ToJsonString(WireJson);
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            if (payload is not null)
            {
                request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
            }

            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Authorization = _credentials.Authorization;

            using var timeout = new CancellationTokenSource(_options.RequestTimeout, _clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            int status;
            string text;
            TimeSpan? retryAfter;
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
                status = (int)response.StatusCode;
                text = await response.Content.ReadAsStringAsync(linked.Token);
                retryAfter = RetryAfter(response);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new LogBackendException(LogBackendFailure.Timeout,
                    $"{Product} did not answer within {_options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
            }
            catch (HttpRequestException ex)
            {
                throw new LogBackendException(LogBackendFailure.Unavailable, _credentials.Redact($"{Product} at {_endpoint} is unreachable: {ex.Message}"));
            }
            catch (AwsCredentialsUnavailableException ex)
            {
                throw new LogBackendException(LogBackendFailure.Unavailable, _credentials.Redact(ex.Message));
            }

            if (status is >= 200 and < 300)
            {
                return ParseObject(text);
            }

            if (status == (int)HttpStatusCode.TooManyRequests && attempt < _options.MaxRetries)
            {
                await Task.Delay(Backoff(attempt, retryAfter), _clock, ct);
                continue;
            }

            throw Failure(status, TryParse(text));
        }
    }

    private Exception Failure(int status, JsonNode? body)
    {
        if (ElasticsearchResponses.IsMissingPit(status, body))
        {
            return new PointInTimeMissingException($"{Product}'s point in time has expired.");
        }

        var (type, reason) = ElasticsearchResponses.ParseError(body);
        var described = type is null ? $"{status}" : $"{status} {type}";
        return status switch
        {
            400 => new LogBackendException(LogBackendFailure.InvalidQuery, _credentials.Redact(reason ?? $"{Product} refused the query ({described}).")),
            401 or 403 => new LogBackendException(LogBackendFailure.Unavailable, $"{Product} refused Portal's credentials ({status})."),
            429 => new LogBackendException(LogBackendFailure.Throttled, _credentials.Redact($"{Product} is overloaded and turned the search away ({described}); try again shortly.")),
            >= 500 => new LogBackendException(LogBackendFailure.Unavailable, _credentials.Redact($"{Product} failed ({described}){(reason is null ? "." : $": {reason}")}")),
            404 => new LogBackendException(LogBackendFailure.Unavailable, _credentials.Redact($"{Product} has no such index or endpoint ({described}){(reason is null ? "." : $": {reason}")}")),
            _ => new LogBackendException(LogBackendFailure.InvalidQuery, _credentials.Redact(reason ?? $"{Product} refused the request ({described}).")),
        };
    }

    private JsonObject ParseObject(string text) => TryParse(text) as JsonObject
        ?? throw new LogBackendException(LogBackendFailure.Unavailable, $"{Product} at {_endpoint} answered with something that is not a JSON object.");

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var wait = retryAfter ?? FirstBackoff * Math.Pow(2, attempt);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > _options.RequestTimeout ? _options.RequestTimeout : wait;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _clock.GetUtcNow(),
        _ => null,
    };

    private static Version? ParseVersion(string? number)
    {
        var core = number?.Split('-', '+')[0];
        return Version.TryParse(core, out var version) ? version : null;
    }
}
