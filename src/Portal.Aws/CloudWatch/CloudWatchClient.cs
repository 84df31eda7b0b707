using Portal.Aws.Protocol;

namespace Portal.Aws.CloudWatch;

/// <summary>
/// A thin client of Amazon CloudWatch (AWSSDK.CloudWatch is not on the mirror) over awsJson1_0, for the four
/// operations Portal reads alarms with. Each operation is one call; the <c>All…</c> helpers follow <c>NextToken</c>
/// to the last page. Failures are <see cref="Portal.Core.Alarms.AlarmSourceException"/>s.
/// </summary>
public sealed class CloudWatchClient(AwsJsonClient json)
{
    public CloudWatchClient(AwsTransport transport)
        : this(new AwsJsonClient(transport, AwsJsonService.CloudWatch))
    {
    }

    public string Account => json.Account;

    public Task<DescribeAlarmsResponse> DescribeAlarmsAsync(DescribeAlarmsRequest request, CancellationToken ct) =>
        json.SendAsync<DescribeAlarmsRequest, DescribeAlarmsResponse>("DescribeAlarms", request, ct);

    public Task<DescribeAlarmHistoryResponse> DescribeAlarmHistoryAsync(DescribeAlarmHistoryRequest request, CancellationToken ct) =>
        json.SendAsync<DescribeAlarmHistoryRequest, DescribeAlarmHistoryResponse>("DescribeAlarmHistory", request, ct);

    public Task<GetMetricDataResponse> GetMetricDataAsync(GetMetricDataRequest request, CancellationToken ct) =>
        json.SendAsync<GetMetricDataRequest, GetMetricDataResponse>("GetMetricData", request, ct);

    /// <summary>The resource's tags, or null when it no longer exists (<c>ResourceNotFound</c>).</summary>
    public async Task<IReadOnlyList<Tag>?> ListTagsForResourceAsync(string resourceArn, CancellationToken ct)
    {
        var response = await json.SendOrAbsentAsync<ListTagsForResourceRequest, ListTagsForResourceResponse>(
            "ListTagsForResource", new ListTagsForResourceRequest(resourceArn), e => e.Code is "ResourceNotFound" or "ResourceNotFoundException", ct);
        return response is null ? null : response.Tags ?? [];
    }

    public IAsyncEnumerable<DescribeAlarmsResponse> DescribeAlarmsPagesAsync(DescribeAlarmsRequest request, CancellationToken ct) =>
        AwsPaging.PagesAsync(request, (r, token) => r with { NextToken = token }, DescribeAlarmsAsync, p => p.NextToken, Describe("DescribeAlarms"), ct);

    public IAsyncEnumerable<DescribeAlarmHistoryResponse> DescribeAlarmHistoryPagesAsync(DescribeAlarmHistoryRequest request, CancellationToken ct) =>
        AwsPaging.PagesAsync(request, (r, token) => r with { NextToken = token }, DescribeAlarmHistoryAsync, p => p.NextToken, Describe("DescribeAlarmHistory"), ct);

    public IAsyncEnumerable<GetMetricDataResponse> GetMetricDataPagesAsync(GetMetricDataRequest request, CancellationToken ct) =>
        AwsPaging.PagesAsync(request, (r, token) => r with { NextToken = token }, GetMetricDataAsync, p => p.NextToken, Describe("GetMetricData"), ct);

    /// <summary>Every page's metric and composite alarms, in the order CloudWatch returned them.</summary>
    public async Task<DescribeAlarmsResponse> DescribeAllAlarmsAsync(DescribeAlarmsRequest request, CancellationToken ct)
    {
        var metric = new List<MetricAlarm>();
        var composite = new List<CompositeAlarm>();
        await foreach (var page in DescribeAlarmsPagesAsync(request, ct))
        {
            metric.AddRange(page.MetricAlarms ?? []);
            composite.AddRange(page.CompositeAlarms ?? []);
        }

        return new DescribeAlarmsResponse { MetricAlarms = metric, CompositeAlarms = composite };
    }

    public async Task<IReadOnlyList<AlarmHistoryItem>> DescribeAllAlarmHistoryAsync(DescribeAlarmHistoryRequest request, CancellationToken ct)
    {
        var items = new List<AlarmHistoryItem>();
        await foreach (var page in DescribeAlarmHistoryPagesAsync(request, ct))
        {
            items.AddRange(page.AlarmHistoryItems ?? []);
        }

        return items;
    }

    /// <summary>
    /// Every page of <c>GetMetricData</c>, each query's datapoints joined into one result (a long range arrives in
    /// pieces, each page carrying part of every query's series); its status is that of the last page.
    /// </summary>
    public async Task<GetMetricDataResponse> GetAllMetricDataAsync(GetMetricDataRequest request, CancellationToken ct)
    {
        var results = new Dictionary<string, (MetricDataResult First, List<DateTimeOffset> Times, List<double> Values, string? Status)>(StringComparer.Ordinal);
        var order = new List<string>();
        var messages = new List<MessageData>();
        await foreach (var page in GetMetricDataPagesAsync(request, ct))
        {
            messages.AddRange(page.Messages ?? []);
            foreach (var result in page.MetricDataResults ?? [])
            {
                var id = result.Id ?? "";
                if (!results.TryGetValue(id, out var merged))
                {
                    merged = (result, [], [], result.StatusCode);
                    order.Add(id);
                }

                merged.Times.AddRange(result.Timestamps ?? []);
                merged.Values.AddRange(result.Values ?? []);
                results[id] = merged with { Status = result.StatusCode ?? merged.Status };
            }
        }

        return new GetMetricDataResponse
        {
            MetricDataResults = order.Select(id => results[id]).Select(r => r.First with { Timestamps = r.Times, Values = r.Values, StatusCode = r.Status }).ToList(),
            Messages = messages,
        };
    }

    private string Describe(string operation) => $"CloudWatch {operation} for account '{json.Account}'";
}
