using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Persistence.Entities;

namespace Portal.Infrastructure.Tests.Persistence;

/// <summary>What every provider's migrations must do; run against real SQLite and real PostgreSQL.</summary>
public abstract class SchemaMigratorContract
{
    private protected abstract Task<TestDatabase> NewDatabaseAsync();

    [Fact]
    public async Task MigrateAsync_EmptyDatabase_AppliesEveryScriptInOrderAndRecordsIt()
    {
        var db = await NewDatabaseAsync();
        var migrator = db.Migrator();

        var applied = await migrator.MigrateAsync(CancellationToken.None);

        applied.Select(s => s.Version).ShouldBe(migrator.Scripts.Select(s => s.Version));
        (await migrator.GetPendingAsync(CancellationToken.None)).ShouldBeEmpty();
        (await CountAsync(db, "SELECT COUNT(*) FROM schema_versions")).ShouldBe(migrator.Scripts.Count);
    }

    [Fact]
    public async Task MigrateAsync_SecondRun_AppliesNothing()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);

        var again = await db.Migrator().MigrateAsync(CancellationToken.None);

        again.ShouldBeEmpty();
    }

    [Fact]
    public async Task GetPendingAsync_FreshDatabase_ListsEveryVersion()
    {
        var db = await NewDatabaseAsync();
        var migrator = db.Migrator();

        (await migrator.GetPendingAsync(CancellationToken.None)).ShouldBe(migrator.Scripts.Select(s => s.Version));
    }

    [Fact]
    public async Task MigrateAsync_FailingScript_LeavesNothingOfItBehind()
    {
        var db = await NewDatabaseAsync();
        var good = new SchemaScript(1, "good", "CREATE TABLE good_table (id INTEGER NOT NULL PRIMARY KEY);");
        var bad = new SchemaScript(2, "bad", "CREATE TABLE half_table (id INTEGER NOT NULL PRIMARY KEY); INSERT INTO no_such_table VALUES (1);");

        await Should.ThrowAsync<DbException>(() => db.Migrator([good, bad]).MigrateAsync(CancellationToken.None));

        (await CountAsync(db, "SELECT COUNT(*) FROM schema_versions")).ShouldBe(1);
        (await TableExistsAsync(db, "good_table")).ShouldBeTrue();
        (await TableExistsAsync(db, "half_table")).ShouldBeFalse("a failed script must roll back entirely");
        (await db.Migrator([good, bad]).GetPendingAsync(CancellationToken.None)).ShouldBe([2]);
    }

    [Fact]
    public async Task MigrateAsync_AppliedScriptEditedLater_RefusesWithDrift()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator([new SchemaScript(1, "one", "CREATE TABLE t1 (id INTEGER NOT NULL);")]).MigrateAsync(CancellationToken.None);

        var edited = db.Migrator([new SchemaScript(1, "one", "CREATE TABLE t1 (id INTEGER NOT NULL, extra INTEGER);")]);

        var ex = await Should.ThrowAsync<SchemaDriftException>(() => edited.MigrateAsync(CancellationToken.None));
        ex.Message.ShouldContain("0001_one");
    }

    [Fact]
    public async Task MigrateAsync_TwoMigratorsAtOnce_ApplyEachScriptOnce()
    {
        var db = await NewDatabaseAsync();

        var results = await Task.WhenAll(
            Task.Run(() => db.Migrator().MigrateAsync(CancellationToken.None)),
            Task.Run(() => db.Migrator().MigrateAsync(CancellationToken.None)));

        results.Sum(r => r.Count).ShouldBe(db.Migrator().Scripts.Count);
        (await CountAsync(db, "SELECT COUNT(*) FROM schema_versions")).ShouldBe(db.Migrator().Scripts.Count);
    }

    [Fact]
    public async Task Model_RoundTripsThroughMigratedSchema()
    {
        // Every mapped column must exist with a compatible type: a model/script mismatch fails here.
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var created = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);

        await using (var write = db.Contexts.CreateDbContext())
        {
            write.Environments.Add(new EnvironmentEntity { Name = "pr-42", DisplayName = "PR 42", Tier = "dev", CreatedAt = created });
            write.DataProtectionKeys.Add(new DataProtectionKeyEntity { FriendlyName = "key-1", Xml = "<key id=\"1\" />", CreatedAt = created });
            await write.SaveChangesAsync();
        }

        await using var read = db.Contexts.CreateDbContext();
        var row = await read.Environments.SingleAsync(e => e.Name == "pr-42");
        row.DisplayName.ShouldBe("PR 42");
        row.Tier.ShouldBe("dev");
        row.CreatedAt.ShouldBe(created);
        var key = await read.DataProtectionKeys.SingleAsync();
        (key.FriendlyName, key.Xml, key.CreatedAt).ShouldBe(("key-1", "<key id=\"1\" />", created));
    }

    [Fact]
    public async Task Schema_RejectsUnknownTier()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);

        await using var write = db.Contexts.CreateDbContext();
        write.Environments.Add(new EnvironmentEntity { Name = "x", DisplayName = "X", Tier = "qa", CreatedAt = DateTimeOffset.UtcNow });

        await Should.ThrowAsync<DbUpdateException>(() => write.SaveChangesAsync());
    }

    [Fact]
    public async Task AuditRecords_CannotBeChangedOrDeleted()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        await using (var work = db.Units.Begin())
        {
            work.Audit(new Portal.Core.Audit.AuditRecord(Guid.NewGuid(), DateTimeOffset.UtcNow, "ann", "api", "127.0.0.1", "dev",
                "environments.update", "dev", "{}", Portal.Core.Audit.AuditOutcome.Succeeded, "ok", "c1"));
            await work.CommitAsync(CancellationToken.None);
        }

        await using var connection = db.Database.CreateConnection();
        await connection.OpenAsync();
        var update = await Should.ThrowAsync<DbException>(() => connection.ExecuteAsync("UPDATE audit_records SET actor = 'mallory'", CancellationToken.None));
        update.Message.ShouldContain("append-only");
        await Should.ThrowAsync<DbException>(() => connection.ExecuteAsync("DELETE FROM audit_records", CancellationToken.None));
        (await CountAsync(db, "SELECT COUNT(*) FROM audit_records WHERE actor = 'ann'")).ShouldBe(1);
    }

    [Fact]
    public async Task UnitOfWork_StaleVersion_IsAConflictAndChangesNothing()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var env = Portal.Core.Environments.EnvironmentValidator.Create(new Portal.Core.Environments.CreateEnvironmentRequest
        {
            Name = "pr-1", DisplayName = "PR 1", Tier = "dev", OwningTeam = "t", CostCentre = "c",
        }, new Portal.Core.Environments.EnvironmentPolicyOptions(), "ann", DateTimeOffset.UtcNow);
        await using (var work = db.Units.Begin())
        {
            work.Environments.Add(env);
            await work.CommitAsync(CancellationToken.None);
        }

        await using (var first = db.Units.Begin())
        {
            first.Environments.Update(env with { DisplayName = "First", Version = 2 }, expectedVersion: 1);
            await first.CommitAsync(CancellationToken.None);
        }

        await using (var second = db.Units.Begin())
        {
            second.Environments.Update(env with { DisplayName = "Second", Version = 2 }, expectedVersion: 1);
            await Should.ThrowAsync<Portal.Core.Actions.ConflictException>(() => second.CommitAsync(CancellationToken.None));
        }

        await using var read = db.Units.Begin();
        (await read.Environments.FindAsync("pr-1", CancellationToken.None)).ShouldNotBeNull().DisplayName.ShouldBe("First");
    }

    [Fact]
    public async Task Bindings_ForSubjects_MatchUserIgnoringCaseAndGroupsExactly()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        await using (var work = db.Units.Begin())
        {
            work.Bindings.Add(new Portal.Core.Authorization.RoleBinding(Guid.NewGuid(), Portal.Core.Authorization.SubjectKind.User, "Ann", "Viewer",
                Portal.Core.Authorization.BindingScope.Everywhere, null, "t", now));
            work.Bindings.Add(new Portal.Core.Authorization.RoleBinding(Guid.NewGuid(), Portal.Core.Authorization.SubjectKind.Group, "sre", "Operator",
                Portal.Core.Authorization.BindingScope.ForTier(Portal.Core.Environments.EnvironmentTier.Prod), now.AddHours(1), "t", now));
            work.Bindings.Add(new Portal.Core.Authorization.RoleBinding(Guid.NewGuid(), Portal.Core.Authorization.SubjectKind.Group, "SRE", "Owner",
                Portal.Core.Authorization.BindingScope.Everywhere, null, "t", now));
            await work.CommitAsync(CancellationToken.None);
        }

        await using var read = db.Units.Begin();
        var found = await read.Bindings.ForSubjectsAsync("ann", new HashSet<string> { "sre" }, CancellationToken.None);

        found.Select(b => b.Role).ShouldBe(["Viewer", "Operator"], ignoreOrder: true);
        found.Single(b => b.Role == "Operator").ExpiresAt.ShouldNotBeNull();
        (await read.Bindings.ForEnvironmentAsync(new Portal.Core.Environments.EnvironmentRef("prod", Portal.Core.Environments.EnvironmentTier.Prod), CancellationToken.None))
            .Count.ShouldBe(3);
        (await read.Bindings.ForEnvironmentAsync(new Portal.Core.Environments.EnvironmentRef("dev", Portal.Core.Environments.EnvironmentTier.Dev), CancellationToken.None))
            .Select(b => b.Role).ShouldBe(["Viewer", "Owner"], ignoreOrder: true);
    }

    private static async Task<long> CountAsync(TestDatabase db, string sql)
    {
        await using var connection = db.Database.CreateConnection();
        await connection.OpenAsync();
        return await connection.ScalarAsync(sql, CancellationToken.None);
    }

    private static async Task<bool> TableExistsAsync(TestDatabase db, string table)
    {
        var sql = db.Database.Provider == DatabaseProvider.Sqlite
            ? $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"
            : $"SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = '{table}'";
        return await CountAsync(db, sql) > 0;
    }
}

public sealed class SqliteSchemaMigratorTests : SchemaMigratorContract, IDisposable
{
    private readonly Portal.Testing.TempDirectory _directory = new();

    private protected override Task<TestDatabase> NewDatabaseAsync() =>
        Task.FromResult(new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={_directory.File($"{Guid.NewGuid():N}.db")};Pooling=False"));

    public void Dispose() => _directory.Dispose();
}

public sealed class PostgreSqlSchemaMigratorTests : SchemaMigratorContract
{
    private protected override async Task<TestDatabase> NewDatabaseAsync() =>
        new(DatabaseProvider.PostgreSql, await Portal.Testing.TestPostgres.CreateDatabaseAsync());
}
