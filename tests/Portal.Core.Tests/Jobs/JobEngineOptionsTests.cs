using Portal.Core.Jobs;

namespace Portal.Core.Tests.Jobs;

public class JobEngineOptionsTests
{
    private static readonly JobEngineOptions Options = new() { RetryBackoff = TimeSpan.FromSeconds(5), MaxRetryBackoff = TimeSpan.FromMinutes(1) };

    [Theory]
    [InlineData(2, 5)]
    [InlineData(3, 10)]
    [InlineData(4, 20)]
    [InlineData(5, 40)]
    public void BackoffBefore_EachFurtherAttempt_DoublesTheWait(int nextAttempt, int seconds) =>
        Options.BackoffBefore(nextAttempt).ShouldBe(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData(6)]
    [InlineData(60)]
    [InlineData(int.MaxValue)]
    public void BackoffBefore_PastTheCap_WaitsTheMaximum(int nextAttempt) =>
        Options.BackoffBefore(nextAttempt).ShouldBe(TimeSpan.FromMinutes(1));

    [Fact]
    public void BackoffBefore_FirstAttempt_NeverBelowTheBaseWait() =>
        Options.BackoffBefore(1).ShouldBe(TimeSpan.FromSeconds(5));
}
