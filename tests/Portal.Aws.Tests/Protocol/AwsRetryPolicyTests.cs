using Portal.Aws.Protocol;

namespace Portal.Aws.Tests.Protocol;

public sealed class AwsRetryPolicyTests
{
    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 2.0)]
    [InlineData(3, 4.0)]
    [InlineData(5, 16.0)]
    [InlineData(6, 20.0)]
    [InlineData(40, 20.0)]
    public void BackoffAfter_HighestDraw_DoublesPerAttemptUpToTwentySeconds(int attempt, double seconds)
    {
        var policy = new AwsRetryPolicy(random: () => 0.999999);

        policy.BackoffAfter(attempt).TotalSeconds.ShouldBe(seconds, tolerance: 0.001);
    }

    [Fact]
    public void BackoffAfter_IsTheDrawTimesTheCeiling()
    {
        var draws = new Queue<double>([0.0, 0.25, 0.75]);
        var policy = new AwsRetryPolicy(random: draws.Dequeue);

        new[] { policy.BackoffAfter(3), policy.BackoffAfter(3), policy.BackoffAfter(3) }
            .ShouldBe([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)]);
    }

    [Theory]
    [InlineData(400, "Throttling", true)]
    [InlineData(400, "ThrottlingException", true)]
    [InlineData(400, "RequestLimitExceeded", true)]
    [InlineData(400, "TooManyRequestsException", true)]
    [InlineData(400, "LimitExceededException", true)]
    [InlineData(429, "ConcurrentModificationException", true)]
    [InlineData(400, "RequestTimeoutException", true)]
    [InlineData(500, "InternalServiceError", true)]
    [InlineData(503, "ServiceUnavailable", true)]
    [InlineData(501, "NotImplemented", false)]
    [InlineData(400, "ValidationError", false)]
    [InlineData(403, "AccessDenied", false)]
    [InlineData(400, "ExpiredTokenException", false)]
    [InlineData(400, "LimitExceeded", false)]
    public void IsRetryable_FollowsBotocoresStandardMode(int status, string code, bool retryable)
    {
        AwsRetryPolicy.IsRetryable(new AwsServiceError(status, code, "")).ShouldBe(retryable);
    }

    [Fact]
    public async Task WaitAsync_UsesTheInjectedDelayWithTheBackoff()
    {
        var waited = new List<TimeSpan>();
        var policy = new AwsRetryPolicy(random: () => 0.5, delay: (d, _) =>
        {
            waited.Add(d);
            return Task.CompletedTask;
        });

        await policy.WaitAsync(2, CancellationToken.None);

        waited.ShouldBe([TimeSpan.FromSeconds(1)]);
    }
}
