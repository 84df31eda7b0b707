namespace Portal.Web.Components.Shared;

/// <summary>
/// One live page's re-read: asked for while a read is in flight, it reads once more after it instead of twice at
/// once; a failed read keeps what is shown and says why (<see cref="Problem"/>) until the next one succeeds. The
/// job page and the release page follow their records through one of these.
/// </summary>
public sealed class CoalescingRefresh(Func<Task> load, string what, Func<bool> stopped)
{
    private bool _refreshing;
    private bool _again;

    /// <summary>Why the last read failed ("Could not refresh the job: …"); null after a good one.</summary>
    public string? Problem { get; private set; }

    /// <summary>Reads; returns false when the call only marked a read in flight to run once more.</summary>
    public async Task<bool> RunAsync()
    {
        if (_refreshing)
        {
            _again = true;
            return false;
        }

        _refreshing = true;
        try
        {
            do
            {
                _again = false;
                await load();
                Problem = null;
            }
            while (_again && !stopped());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is unreachable for a moment: keep what is shown, say so, try again at the next change or poll.
            Problem = $"Could not refresh {what}: {ex.Message}";
        }
        finally
        {
            _refreshing = false;
        }

        return true;
    }
}
