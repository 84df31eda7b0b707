using Microsoft.EntityFrameworkCore;
using Portal.Core.Actions;
using Portal.Core.Costs;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Tests.Persistence.Costs;

/// <summary>Team budgets and budget notices through the unit of work, on a real migrated database of each provider.</summary>
public abstract class EfBudgetRepositoryContract
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);

    private protected abstract Task<TestDatabase> NewDatabaseAsync();

    [Fact]
    public async Task SetTeamBudget_CreateReplaceRemove_EveryFieldKept_VersionCounted()
    {
        var db = await MigratedAsync();
        // A browser's offset and a budget with more than cents: kept as the same instant in UTC and the same amount.
        var first = new TeamBudget("payments", 1234.565m, "ann", new DateTimeOffset(2026, 11, 22, 12, 30, 0, TimeSpan.FromHours(2)).AddTicks(10), 0);
        await Commit(db, b => b.SetTeamBudget(first, null));
        await Commit(db, b => b.SetTeamBudget(new TeamBudget("checkout", 50m, "bob", Now, 0), 0));

        (await Budgets(db)).ShouldBe([new TeamBudget("checkout", 50m, "bob", Now, 1), first with { UpdatedAt = Now.AddTicks(10), Version = 1 }]);

        await Commit(db, b => b.SetTeamBudget(new TeamBudget("payments", 2000m, "carol", Now.AddHours(1), 99), 1));
        await Commit(db, async b =>
        {
            (await b.TeamBudgetsAsync(CancellationToken.None)).Count.ShouldBe(2);
            b.SetTeamBudget(new TeamBudget("payments", 2500m, "dan", Now.AddHours(2), 0), null);
        });
        (await Budgets(db)).Single(b => b.Team == "payments").ShouldBe(new TeamBudget("payments", 2500m, "dan", Now.AddHours(2), 3));

        await Commit(db, b => b.RemoveTeamBudget("payments"));
        await Commit(db, b => b.RemoveTeamBudget("no-such-team"));
        (await Budgets(db)).Select(b => b.Team).ShouldBe(["checkout"]);
    }

    [Fact]
    public async Task SetTeamBudget_StaleExpectedVersion_IsAConflictAndChangesNothing()
    {
        var db = await MigratedAsync();
        await Commit(db, b => b.SetTeamBudget(new TeamBudget("payments", 100m, "ann", Now, 0), null));
        await Commit(db, b => b.SetTeamBudget(new TeamBudget("payments", 200m, "bob", Now, 0), 1));

        await ShouldConflict(db, b => b.SetTeamBudget(new TeamBudget("payments", 300m, "carol", Now, 0), 1));
        await ShouldConflict(db, b => b.SetTeamBudget(new TeamBudget("checkout", 300m, "carol", Now, 0), 4));

        (await Budgets(db)).ShouldBe([new TeamBudget("payments", 200m, "bob", Now, 2)]);
    }

    [Fact]
    public async Task SetAndRemove_WithoutExpectedVersion_AreGuardedByTheVersionRead()
    {
        var db = await MigratedAsync();
        await Commit(db, b => b.SetTeamBudget(new TeamBudget("payments", 100m, "ann", Now, 0), null));
        await using var ann = db.Units.Begin();
        await using var bob = db.Units.Begin();
        (await ann.Budgets.TeamBudgetsAsync(CancellationToken.None)).ShouldHaveSingleItem().Version.ShouldBe(1);
        (await bob.Budgets.TeamBudgetsAsync(CancellationToken.None)).ShouldHaveSingleItem().Version.ShouldBe(1);

        bob.Budgets.SetTeamBudget(new TeamBudget("payments", 150m, "bob", Now, 0), null);
        await bob.CommitAsync(CancellationToken.None);
        ann.Budgets.RemoveTeamBudget("payments");
        (await Should.ThrowAsync<ConflictException>(() => ann.CommitAsync(CancellationToken.None))).Message.ShouldContain("changed by someone else");

        (await Budgets(db)).ShouldBe([new TeamBudget("payments", 150m, "bob", Now, 2)]);
    }

    [Fact]
    public async Task SetTeamBudget_TwoFirstBudgetsForOneTeam_SecondIsAConflict()
    {
        var db = await MigratedAsync();
        await using var ann = db.Units.Begin();
        await using var bob = db.Units.Begin();
        (await ann.Budgets.TeamBudgetsAsync(CancellationToken.None)).ShouldBeEmpty();
        (await bob.Budgets.TeamBudgetsAsync(CancellationToken.None)).ShouldBeEmpty();
        ann.Budgets.SetTeamBudget(new TeamBudget("payments", 100m, "ann", Now, 0), null);
        bob.Budgets.SetTeamBudget(new TeamBudget("payments", 900m, "bob", Now, 0), null);

        await ann.CommitAsync(CancellationToken.None);
        await Should.ThrowAsync<ConflictException>(() => bob.CommitAsync(CancellationToken.None));

        (await Budgets(db)).ShouldHaveSingleItem().MonthlyBudget.ShouldBe(100m);
    }

    [Fact]
    public async Task AddNotice_EveryFieldKept_ReadByMonthNewestFirst()
    {
        var db = await MigratedAsync();
        var october = new BudgetNotice(Guid.NewGuid(), BudgetScope.Team, "payments", "2026-10", 100, BudgetBasis.Actual, 1000.123456789m, 1000m, Now.AddDays(-30));
        var eighty = new BudgetNotice(Guid.NewGuid(), BudgetScope.Environment, "pr-42", "2026-11", 80, BudgetBasis.Forecast, 81.5m, 100m, Now.AddTicks(10));
        var hundred = eighty with { Id = Guid.NewGuid(), ThresholdPercent = 100, Basis = BudgetBasis.Actual, Amount = 100.01m, RaisedAt = Now.AddHours(3) };
        await Commit(db, b =>
        {
            b.AddNotice(eighty);
            b.AddNotice(october);
        });
        await Commit(db, b => b.AddNotice(hundred));

        await using var read = db.Units.Begin();
        (await read.Budgets.NoticesAsync("2026-11", CancellationToken.None)).ShouldBe([hundred, eighty]);
        (await read.Budgets.NoticesAsync(null, CancellationToken.None)).ShouldBe([hundred, eighty, october]);
        (await read.Budgets.NoticesAsync("2026-12", CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AddNotice_SameScopeNameMonthThresholdAndBasisTwice_IsAConflict_OtherBasisIsNot()
    {
        var db = await MigratedAsync();
        var notice = new BudgetNotice(Guid.NewGuid(), BudgetScope.Environment, "pr-42", "2026-11", 80, BudgetBasis.Actual, 80m, 100m, Now);
        await Commit(db, b => b.AddNotice(notice));

        await ShouldConflict(db, b => b.AddNotice(notice with { Id = Guid.NewGuid(), Amount = 85m, RaisedAt = Now.AddMinutes(5) }));
        await Commit(db, b => b.AddNotice(notice with { Id = Guid.NewGuid(), Basis = BudgetBasis.Forecast }));
        await Commit(db, b => b.AddNotice(notice with { Id = Guid.NewGuid(), Scope = BudgetScope.Team }));

        await using var read = db.Units.Begin();
        (await read.Budgets.NoticesAsync("2026-11", CancellationToken.None)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task Schema_RejectsAMonthNotWrittenYyyyMm()
    {
        var db = await MigratedAsync();
        await using var work = db.Units.Begin();
        work.Budgets.AddNotice(new BudgetNotice(Guid.NewGuid(), BudgetScope.Team, "payments", "2026/11", 80, BudgetBasis.Actual, 80m, 100m, Now));

        await Should.ThrowAsync<DbUpdateException>(() => work.CommitAsync(CancellationToken.None));
    }

    private async Task<TestDatabase> MigratedAsync()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        return db;
    }

    private static Task Commit(TestDatabase db, Action<IBudgetRepository> change) => Commit(db, b =>
    {
        change(b);
        return Task.CompletedTask;
    });

    private static async Task Commit(TestDatabase db, Func<IBudgetRepository, Task> change)
    {
        await using var work = db.Units.Begin();
        await change(work.Budgets);
        await work.CommitAsync(CancellationToken.None);
    }

    private static async Task ShouldConflict(TestDatabase db, Action<IBudgetRepository> change)
    {
        await using var work = db.Units.Begin();
        change(work.Budgets);
        await Should.ThrowAsync<ConflictException>(() => work.CommitAsync(CancellationToken.None));
    }

    private static async Task<IReadOnlyList<TeamBudget>> Budgets(TestDatabase db)
    {
        await using var read = db.Units.Begin();
        return await read.Budgets.TeamBudgetsAsync(CancellationToken.None);
    }
}

public sealed class SqliteEfBudgetRepositoryTests : EfBudgetRepositoryContract, IDisposable
{
    private readonly Portal.Testing.TempDirectory _directory = new();

    private protected override Task<TestDatabase> NewDatabaseAsync() =>
        Task.FromResult(new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={_directory.File($"{Guid.NewGuid():N}.db")};Pooling=False"));

    public void Dispose() => _directory.Dispose();
}

public sealed class PostgreSqlEfBudgetRepositoryTests : EfBudgetRepositoryContract
{
    private protected override async Task<TestDatabase> NewDatabaseAsync() =>
        new(DatabaseProvider.PostgreSql, await Portal.Testing.TestPostgres.CreateDatabaseAsync());
}
