namespace Portal.Core.Jobs;

/// <summary>Hands a committed job to the scheduler, best effort.</summary>
public static class JobDispatch
{
    /// <summary>
    /// A scheduler that is down (its database unreachable) must not fail the request that already committed the
    /// job: the job stays Queued and the next sweep of any replica dispatches it.
    /// </summary>
    public static async Task TryAsync(IJobDispatcher dispatcher, Guid jobId, DateTimeOffset? at = null)
    {
        try
        {
            await dispatcher.DispatchAsync(jobId, at, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Left for the sweep (ResumeJobsJob); nothing to report to the person who asked.
        }
    }
}
