using Portal.Aws.Protocol;

namespace Portal.Aws.CloudTrail;

/// <summary>
/// A thin client of AWS CloudTrail (AWSSDK.CloudTrail is not on the mirror) over awsJson1_1, for
/// <c>LookupEvents</c>: the last 90 days of management events in one account and region.
/// </summary>
public sealed class CloudTrailClient(AwsJsonClient json)
{
    /// <summary>The model's maximum <c>MaxResults</c>.</summary>
    public const int MaxResults = 50;

    public CloudTrailClient(AwsTransport transport)
        : this(new AwsJsonClient(transport, AwsJsonService.CloudTrail))
    {
    }

    public string Account => json.Account;

    /// <exception cref="ArgumentException">More than one lookup attribute, or <c>MaxResults</c> outside 1..50.</exception>
    public Task<LookupEventsResponse> LookupEventsAsync(LookupEventsRequest request, CancellationToken ct)
    {
        if (request.LookupAttributes is { Count: > 1 })
        {
            throw new ArgumentException("CloudTrail LookupEvents takes at most one lookup attribute.", nameof(request));
        }

        if (request.MaxResults is < 1 or > MaxResults)
        {
            throw new ArgumentException($"CloudTrail LookupEvents takes MaxResults from 1 to {MaxResults}.", nameof(request));
        }

        return json.SendAsync<LookupEventsRequest, LookupEventsResponse>("LookupEvents", request, ct);
    }

    public IAsyncEnumerable<LookupEventsResponse> LookupEventsPagesAsync(LookupEventsRequest request, CancellationToken ct) =>
        AwsPaging.PagesAsync(request, (r, token) => r with { NextToken = token }, LookupEventsAsync, p => p.NextToken,
            $"CloudTrail LookupEvents for account '{json.Account}'", ct);
}
