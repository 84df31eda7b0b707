namespace Portal.Testing;

/// <summary>
/// A clock tests move by hand (Microsoft.Extensions.TimeProvider.Testing is not on the mirror). Safe to read from
/// other threads while the test advances it, as an in-process server's loops do. Timers it creates are real ones.
/// </summary>
public sealed class FakeClock(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public FakeClock()
        : this(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
}
