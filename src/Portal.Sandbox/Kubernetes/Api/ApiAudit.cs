using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Api;

/// <summary>
/// One write the API server served, as an audit log records it: the verb, the object, who asked (the token's
/// identity) and with what client. Never the request body: it may hold a Secret's data.
/// </summary>
public sealed record ApiWrite(
    DateTimeOffset Time,
    string Verb,
    ResourceType Type,
    string? Namespace,
    string Name,
    string? Subresource,
    string User,
    string? UserAgent,
    string? SourceAddress,
    string? FieldManager);

/// <summary>
/// The API server's audit stream: every successful create, update, patch and delete (dry runs excluded). The
/// sandbox's CloudTrail subscribes to it; writes served before anyone subscribed are held (a bounded number) and
/// handed to the first subscriber, so the first seconds after start are not lost.
/// </summary>
public sealed class ApiAudit
{
    private const int HeldCapacity = 10_000;
    private readonly Lock _lock = new();
    private readonly Queue<ApiWrite> _held = new();
    private Action<ApiWrite>? _subscriber;

    /// <summary>Sends every write (the held ones first) to <paramref name="subscriber"/>; one subscriber at a time.</summary>
    public IDisposable Subscribe(Action<ApiWrite> subscriber)
    {
        lock (_lock)
        {
            if (_subscriber is not null)
            {
                throw new InvalidOperationException("The API audit stream already has a subscriber.");
            }

            while (_held.TryDequeue(out var write))
            {
                subscriber(write);
            }

            _subscriber = subscriber;
        }

        return new Subscription(this);
    }

    internal void Record(ApiWrite write)
    {
        lock (_lock)
        {
            if (_subscriber is { } subscriber)
            {
                subscriber(write);
                return;
            }

            if (_held.Count == HeldCapacity)
            {
                _held.Dequeue();
            }

            _held.Enqueue(write);
        }
    }

    private sealed class Subscription(ApiAudit audit) : IDisposable
    {
        public void Dispose()
        {
            lock (audit._lock)
            {
                audit._subscriber = null;
            }
        }
    }
}
