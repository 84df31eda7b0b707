using System.Globalization;

namespace Portal.Kubernetes.Model;

/// <summary>How kubectl shows ages: <c>45s</c>, <c>5m12s</c>, <c>3h20m</c>, <c>2d4h</c> (apimachinery's HumanDuration).</summary>
public static class HumanDuration
{
    public static string Format(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return $"{seconds}s";
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }

        if (minutes < 60 * 3)
        {
            return $"{minutes}m";
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }

        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{dy}d";
        }

        return $"{hours / 24 / 365}y";
    }
}

/// <summary>What a pod list shows for one pod, computed as kubectl's printer does.</summary>
public sealed record PodSummary(string Status, int ReadyContainers, int TotalContainers, int Restarts, DateTimeOffset? LastRestart)
{
    public string Ready => $"{ReadyContainers}/{TotalContainers}";

    public bool IsHealthy => Status is "Running" or "Completed" && ReadyContainers == TotalContainers;

    /// <summary><c>3 (12s ago)</c>, or <c>0</c>.</summary>
    public string RestartsText(DateTimeOffset now) =>
        Restarts == 0 || LastRestart is null ? Restarts.ToString(CultureInfo.InvariantCulture) : $"{Restarts} ({HumanDuration.Format(now - LastRestart.Value)} ago)";

    public static PodSummary Of(Pod pod)
    {
        var reason = pod.Status?.Reason is { Length: > 0 } r ? r : pod.Status?.Phase ?? "Unknown";
        var statuses = pod.Status?.ContainerStatuses ?? [];
        var ready = 0;
        var restarts = 0;
        DateTimeOffset? lastRestart = null;
        var hasRunning = false;
        for (var i = statuses.Count - 1; i >= 0; i--)
        {
            var c = statuses[i];
            restarts += c.RestartCount;
            if (c.LastState?.Terminated?.FinishedAt is { } finished && (lastRestart is null || finished > lastRestart))
            {
                lastRestart = finished;
            }

            if (c.State?.Waiting?.Reason is { Length: > 0 } waiting)
            {
                reason = waiting;
            }
            else if (c.State?.Terminated is { } t)
            {
                reason = t.Reason is { Length: > 0 } tr ? tr : $"ExitCode:{t.ExitCode}";
            }
            else if (c.Ready && c.State?.Running is not null)
            {
                hasRunning = true;
                ready++;
            }
        }

        if (reason == "Completed" && hasRunning)
        {
            reason = ready == statuses.Count ? "Running" : "NotReady";
        }

        if (pod.Metadata.DeletionTimestamp is not null)
        {
            reason = "Terminating";
        }

        return new PodSummary(reason, ready, pod.Spec?.Containers.Count ?? statuses.Count, restarts, lastRestart);
    }
}
