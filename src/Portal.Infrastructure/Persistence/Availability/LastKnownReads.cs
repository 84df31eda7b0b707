using Microsoft.Extensions.Caching.Memory;

namespace Portal.Infrastructure.Persistence.Availability;

/// <summary>
/// The last answers to the few reads every page makes before it can show anything — the environments and the
/// signed-in person's role bindings — kept so that pages needing nothing else (workloads from the cluster cache,
/// logs) keep working while the database is not answering. Served only during an outage and only if read within
/// <see cref="MaxAge"/>: the same bound the cookie check gives a session (a binding revoked just before an outage
/// keeps reading for at most that long; every change needs the database and is refused). While the database is
/// known to be away they are served without asking it, so a hung database does not make each page wait out a timeout.
/// </summary>
public sealed class LastKnownReads(DatabaseAvailability availability, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(15);

    /// <summary>Bounded: one entry per environment and per person (with their groups) that was read.</summary>
    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    /// <summary>Reads through <paramref name="read"/>, remembering the answer; during an outage, the last answer if recent.</summary>
    public async Task<T> ReadAsync<T>(string key, Func<Task<T>> read)
    {
        if (!availability.IsAvailable && TryRecent(key, out T remembered))
        {
            return remembered;
        }

        T value;
        try
        {
            value = await read();
        }
        catch (Exception ex) when (availability.ReportFailure(ex) && TryRecent(key, out T last))
        {
            return last;
        }

        _entries.Set(key, (value, clock.GetUtcNow()), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = MaxAge });
        return value;
    }

    public void Dispose() => _entries.Dispose();

    private bool TryRecent<T>(string key, out T value)
    {
        if (_entries.TryGetValue(key, out (T Value, DateTimeOffset ReadAt) entry) && clock.GetUtcNow() - entry.ReadAt < MaxAge)
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }
}
