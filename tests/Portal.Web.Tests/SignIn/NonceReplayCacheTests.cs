using Portal.Testing;
using Portal.Web.SignIn;

namespace Portal.Web.Tests.SignIn;

public class NonceReplayCacheTests
{
    [Fact]
    public void TryUse_SameNonceTwice_SecondRefusedUntilItsTokenExpires()
    {
        var clock = new FakeClock();
        var cache = new NonceReplayCache(clock);

        cache.TryUse("n-1", clock.GetUtcNow().AddMinutes(10)).ShouldBeTrue();
        cache.TryUse("n-1", clock.GetUtcNow().AddMinutes(10)).ShouldBeFalse();
        cache.TryUse("n-2", clock.GetUtcNow().AddMinutes(10)).ShouldBeTrue();
        clock.Advance(TimeSpan.FromMinutes(11));
        cache.TryUse("n-1", clock.GetUtcNow().AddMinutes(10)).ShouldBeTrue("forgotten once no token carrying it can be valid");
    }
}
