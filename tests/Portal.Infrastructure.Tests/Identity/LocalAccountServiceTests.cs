using Portal.Infrastructure.Identity;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Tests.Persistence;
using Portal.Testing;

namespace Portal.Infrastructure.Tests.Identity;

public sealed class LocalAccountServiceTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeClock _clock = new();
    private LocalAccountService _accounts = default!;

    public async Task InitializeAsync()
    {
        var db = new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={_directory.File("portal.db")};Pooling=False");
        await db.Migrator().MigrateAsync(CancellationToken.None);
        _accounts = db.Accounts(new LocalAccountOptions
        {
            MaxFailedAttempts = 3,
            LockoutMinutes = 15,
            Accounts = [new LocalAccount { UserName = "ann", DisplayName = "Ann", Password = "correct-horse", Groups = ["sre"] }],
        }, _clock);
        await _accounts.SeedAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CheckAsync_RightPassword_SucceedsWithGroups()
    {
        var result = await _accounts.CheckAsync("ANN", "correct-horse", CancellationToken.None);

        result.Outcome.ShouldBe(PasswordCheck.Succeeded);
        result.User.ShouldNotBeNull().Groups.ShouldBe(["sre"]);
    }

    [Fact]
    public async Task CheckAsync_UnknownUserOrWrongPassword_Fails()
    {
        (await _accounts.CheckAsync("nobody", "correct-horse", CancellationToken.None)).Outcome.ShouldBe(PasswordCheck.Failed);
        (await _accounts.CheckAsync("ann", "wrong", CancellationToken.None)).Outcome.ShouldBe(PasswordCheck.Failed);
    }

    [Fact]
    public async Task CheckAsync_RepeatedFailures_LockEvenTheRightPasswordUntilTheLockoutEnds()
    {
        await _accounts.CheckAsync("ann", "wrong-1", CancellationToken.None);
        await _accounts.CheckAsync("ann", "wrong-2", CancellationToken.None);
        var third = await _accounts.CheckAsync("ann", "wrong-3", CancellationToken.None);

        third.Outcome.ShouldBe(PasswordCheck.LockedOut);
        (await _accounts.CheckAsync("ann", "correct-horse", CancellationToken.None)).Outcome.ShouldBe(PasswordCheck.LockedOut);
        _clock.Advance(TimeSpan.FromMinutes(16));
        (await _accounts.CheckAsync("ann", "correct-horse", CancellationToken.None)).Outcome.ShouldBe(PasswordCheck.Succeeded);
    }

    [Fact]
    public async Task CheckAsync_ParallelGuesses_EachCounts()
    {
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => _accounts.CheckAsync("ann", $"guess-{i}", CancellationToken.None))));

        (await _accounts.CheckAsync("ann", "correct-horse", CancellationToken.None)).Outcome.ShouldBe(PasswordCheck.LockedOut);
    }

    [Fact]
    public async Task CheckAsync_SuccessResetsTheFailureCount()
    {
        await _accounts.CheckAsync("ann", "wrong-1", CancellationToken.None);
        await _accounts.CheckAsync("ann", "wrong-2", CancellationToken.None);
        await _accounts.CheckAsync("ann", "correct-horse", CancellationToken.None);

        (await _accounts.CheckAsync("ann", "wrong-3", CancellationToken.None)).Outcome.ShouldBe(PasswordCheck.Failed);
    }

    public void Dispose() => _directory.Dispose();
}
