using System.Runtime.CompilerServices;
using Portal.Core.Alarms;

namespace Portal.Aws.Protocol;

/// <summary>
/// Follows an operation's <c>NextToken</c> (input and output token of its paginator) to the last page. A service
/// that hands back the token it was given would loop forever; botocore stops such a paginator with an error, and so
/// does this.
/// </summary>
public static class AwsPaging
{
    public static async IAsyncEnumerable<TResponse> PagesAsync<TRequest, TResponse>(
        TRequest first,
        Func<TRequest, string?, TRequest> withToken,
        Func<TRequest, CancellationToken, Task<TResponse>> send,
        Func<TResponse, string?> nextToken,
        string describe,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var request = first;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var page = await send(request, ct);
            yield return page;
            var token = nextToken(page);
            if (string.IsNullOrEmpty(token))
            {
                yield break;
            }

            if (!seen.Add(token))
            {
                throw new AlarmSourceException(AwsFailure.Unavailable, $"{describe} returned a NextToken it had already returned; paging was stopped.");
            }

            request = withToken(request, token);
        }
    }
}
