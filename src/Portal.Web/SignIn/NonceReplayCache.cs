using System.Collections.Concurrent;

namespace Portal.Web.SignIn;

/// <summary>Remembers the nonces of ID tokens already accepted, until the token expires, so none is accepted twice.</summary>
public sealed class NonceReplayCache(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    /// <summary>False when the nonce was already used.</summary>
    public bool TryUse(string nonce, DateTimeOffset expires)
    {
        var now = clock.GetUtcNow();
        foreach (var stale in _used.Where(u => u.Value < now).Select(u => u.Key).ToList())
        {
            _used.TryRemove(stale, out _);
        }

        return _used.TryAdd(nonce, expires > now ? expires : now.AddMinutes(10));
    }
}
