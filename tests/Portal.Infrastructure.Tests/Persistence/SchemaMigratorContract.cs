using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Alarms;
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

    [Fact]
    public async Task Model_JobAndApprovalTables_RoundTripThroughMigratedSchema()
    {
        // Migration 0004: every column of jobs, job_steps, job_logs and approval_requests, nullable ones filled.
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var at = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);
        var jobId = Guid.NewGuid();
        var approvalId = Guid.NewGuid();
        await using (var write = db.Contexts.CreateDbContext())
        {
            write.Jobs.Add(new JobEntity
            {
                Id = jobId, Kind = "environment.create", Environment = "pr-42", RequestedBy = "ann", CreatedAt = at, State = "Cancelled",
                StartedAt = at.AddSeconds(1), FinishedAt = at.AddSeconds(2), Error = "why", CancelRequested = true, CancelledBy = "bob", Worker = "replica-1",
            });
            write.JobSteps.Add(new JobStepEntity
            {
                JobId = jobId, StepIndex = 0, Name = "namespace", State = "Retrying", Attempts = 2,
                StartedAt = at.AddSeconds(3), FinishedAt = at.AddSeconds(4), Error = "timeout", NextAttemptAt = at.AddSeconds(5),
            });
            write.JobLogs.Add(new JobLogEntity { JobId = jobId, StepIndex = 0, At = at, Level = "info", Message = "first" });
            write.JobLogs.Add(new JobLogEntity { JobId = jobId, StepIndex = 0, At = at, Level = "warning", Message = "second" });
            write.ApprovalRequests.Add(new ApprovalRequestEntity
            {
                Id = approvalId, Environment = "prod-x", Action = "Destroy", RequestedBy = "ann", RequestedAt = at, ExpiresAt = at.AddHours(72),
                State = "Approved", DecidedBy = "bob", DecidedAt = at.AddHours(1), Comment = "ok", JobId = jobId, PreviousStatus = "Failed", Version = 2,
            });
            await write.SaveChangesAsync();
        }

        await using var read = db.Contexts.CreateDbContext();
        var job = await read.Jobs.SingleAsync(j => j.Id == jobId);
        (job.Kind, job.Environment, job.RequestedBy, job.CreatedAt, job.State).ShouldBe(("environment.create", "pr-42", "ann", at, "Cancelled"));
        (job.StartedAt, job.FinishedAt, job.Error, job.CancelRequested, job.CancelledBy, job.Worker)
            .ShouldBe((at.AddSeconds(1), at.AddSeconds(2), "why", true, "bob", "replica-1"));
        var step = await read.JobSteps.SingleAsync(s => s.JobId == jobId);
        (step.StepIndex, step.Name, step.State, step.Attempts, step.StartedAt, step.FinishedAt, step.Error, step.NextAttemptAt)
            .ShouldBe((0, "namespace", "Retrying", 2, at.AddSeconds(3), at.AddSeconds(4), "timeout", at.AddSeconds(5)));
        var log = await read.JobLogs.Where(l => l.JobId == jobId).OrderBy(l => l.Sequence).ToListAsync();
        log.Select(l => l.Message).ShouldBe(["first", "second"]);
        log[1].Sequence.ShouldBeGreaterThan(log[0].Sequence, "the database numbers the lines");
        var approval = await read.ApprovalRequests.SingleAsync(a => a.Id == approvalId);
        (approval.Environment, approval.Action, approval.RequestedBy, approval.RequestedAt, approval.ExpiresAt, approval.State)
            .ShouldBe(("prod-x", "Destroy", "ann", at, at.AddHours(72), "Approved"));
        (approval.DecidedBy, approval.DecidedAt, approval.Comment, approval.JobId, approval.PreviousStatus, approval.Version).ShouldBe(("bob", at.AddHours(1), "ok", jobId, "Failed", 2));
    }

    [Theory]
    [InlineData("jobs")]
    [InlineData("job_steps")]
    [InlineData("approval_requests")]
    public async Task Schema_RejectsUnknownState(string table)
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var jobId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await using (var write = db.Contexts.CreateDbContext())
        {
            write.Jobs.Add(new JobEntity { Id = jobId, Kind = "k", RequestedBy = "ann", CreatedAt = now, State = "Queued" });
            await write.SaveChangesAsync();
        }

        await using var bad = db.Contexts.CreateDbContext();
        if (table == "jobs")
        {
            bad.Jobs.Add(new JobEntity { Id = Guid.NewGuid(), Kind = "k", RequestedBy = "ann", CreatedAt = now, State = "Paused" });
        }
        else if (table == "job_steps")
        {
            bad.JobSteps.Add(new JobStepEntity { JobId = jobId, StepIndex = 0, Name = "s", State = "Sleeping" });
        }
        else
        {
            bad.ApprovalRequests.Add(new ApprovalRequestEntity
            {
                Id = Guid.NewGuid(), Environment = "prod", Action = "Create", RequestedBy = "ann", RequestedAt = now, ExpiresAt = now, State = "Maybe",
            });
        }

        await Should.ThrowAsync<DbUpdateException>(() => bad.SaveChangesAsync());
    }

    [Fact]
    public async Task Jobs_AddedInAUnitOfWork_ReadAndWrittenThroughTheJobStore()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var now = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);
        var job = Portal.Core.Jobs.PortalJob.New("environment.create", "pr-42", "ann", now, ["namespace", "quota", "mark-ready"]);
        await using (var work = db.Units.Begin())
        {
            work.Jobs.Add(job);
            await work.CommitAsync(CancellationToken.None);
        }

        var store = new Portal.Infrastructure.Persistence.Stores.EfJobStore(db.Contexts);
        await store.SaveStepAsync(job.Id, job.Steps[1] with { State = Portal.Core.Jobs.StepState.Retrying, Attempts = 1, Error = "no", NextAttemptAt = now.AddSeconds(5) }, CancellationToken.None);
        await store.SaveJobAsync(job with { State = Portal.Core.Jobs.JobState.Running, StartedAt = now, Worker = "w1" }, CancellationToken.None);
        (await store.RequestCancelAsync(job.Id, "bob", CancellationToken.None)).ShouldBeTrue();

        // A runner saving what it read before the cancel arrived must not undo the cancel.
        await store.SaveJobAsync(job with { State = Portal.Core.Jobs.JobState.Running, StartedAt = now, Worker = "w1" }, CancellationToken.None);
        await store.AppendLogAsync(job.Id, 1, now, "warning", "first", CancellationToken.None);
        await store.AppendLogAsync(job.Id, 1, now, "info", "second", CancellationToken.None);

        var found = (await store.FindAsync(job.Id, CancellationToken.None)).ShouldNotBeNull();
        found.Steps.Select(s => s.Name).ShouldBe(["namespace", "quota", "mark-ready"]);
        found.Steps[1].State.ShouldBe(Portal.Core.Jobs.StepState.Retrying);
        found.Steps[1].NextAttemptAt.ShouldBe(now.AddSeconds(5));
        (found.State, found.Worker, found.CancelRequested, found.CancelledBy).ShouldBe((Portal.Core.Jobs.JobState.Running, "w1", true, "bob"));
        var lines = await store.LogAsync(job.Id, 0, 10, CancellationToken.None);
        lines.Select(l => l.Message).ShouldBe(["first", "second"]);
        (await store.LogAsync(job.Id, lines[0].Sequence, 10, CancellationToken.None)).ShouldHaveSingleItem().Message.ShouldBe("second");
        (await store.UnfinishedAsync(CancellationToken.None)).ShouldHaveSingleItem().Id.ShouldBe(job.Id);
        await using (var read = db.Units.Begin())
        {
            (await read.Jobs.UnfinishedForAsync("pr-42", CancellationToken.None)).ShouldNotBeNull().Id.ShouldBe(job.Id);
            (await read.Jobs.UnfinishedForAsync("other", CancellationToken.None)).ShouldBeNull();
        }

        await store.SaveJobAsync(found with { State = Portal.Core.Jobs.JobState.Cancelled, FinishedAt = now }, CancellationToken.None);
        (await store.RequestCancelAsync(job.Id, "carol", CancellationToken.None)).ShouldBeFalse("a finished job has nothing to cancel");
        (await store.UnfinishedAsync(CancellationToken.None)).ShouldBeEmpty();

        (await store.ResetForRetryAsync(job.Id, CancellationToken.None)).ShouldBeFalse("a cancelled job is not retried");
        await store.SaveJobAsync(found with { State = Portal.Core.Jobs.JobState.Failed, FinishedAt = now }, CancellationToken.None);
        (await store.ResetForRetryAsync(job.Id, CancellationToken.None)).ShouldBeTrue();
        var reset = (await store.FindAsync(job.Id, CancellationToken.None)).ShouldNotBeNull();
        (reset.State, reset.FinishedAt, reset.CancelRequested, reset.CancelledBy).ShouldBe((Portal.Core.Jobs.JobState.Queued, (DateTimeOffset?)null, false, (string?)null));
    }

    [Fact]
    public async Task JobStep_FinalStateAndAuditRecord_CommitTogetherOrNotAtAll()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var now = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);
        var job = Portal.Core.Jobs.PortalJob.New("environment.create", "pr-43", "ann", now, ["namespace", "quota"]);
        await using (var work = db.Units.Begin())
        {
            work.Jobs.Add(job);
            await work.CommitAsync(CancellationToken.None);
        }

        var store = new Portal.Infrastructure.Persistence.Stores.EfJobStore(db.Contexts);
        var record = new Portal.Core.Audit.AuditRecord(Guid.NewGuid(), now, "ann", "job", null, "pr-43", "jobs.step", "environment.create:namespace", "{}",
            Portal.Core.Audit.AuditOutcome.Succeeded, "Finished on attempt 1.", "c1");
        await store.SaveStepAsync(job.Id, job.Steps[0] with { State = Portal.Core.Jobs.StepState.Succeeded, Attempts = 1, FinishedAt = now }, record, CancellationToken.None);

        // The second write's record cannot be inserted (its id is taken): the step's new state must not stay behind.
        await Should.ThrowAsync<DbUpdateException>(() => store.SaveStepAsync(
            job.Id, job.Steps[1] with { State = Portal.Core.Jobs.StepState.Succeeded, Attempts = 1, FinishedAt = now }, record with { Target = "environment.create:quota" }, CancellationToken.None));

        var found = (await store.FindAsync(job.Id, CancellationToken.None)).ShouldNotBeNull();
        found.Steps.Select(s => s.State).ShouldBe([Portal.Core.Jobs.StepState.Succeeded, Portal.Core.Jobs.StepState.Pending]);
        await using var read = await db.Contexts.CreateDbContextAsync();
        (await read.AuditRecords.Where(r => r.Action == "jobs.step").Select(r => r.Target).ToListAsync()).ShouldBe(["environment.create:namespace"]);
    }

    [Fact]
    public async Task Approvals_StaleVersion_IsAConflictAndChangesNothing()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var now = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);
        var request = new Portal.Core.Approvals.ApprovalRequest
        {
            Id = Guid.NewGuid(), Environment = "prod-x", Action = Portal.Core.Approvals.ApprovalAction.Create, RequestedBy = "ann",
            RequestedAt = now, ExpiresAt = now.AddHours(72), State = Portal.Core.Approvals.ApprovalState.Pending,
        };
        await using (var work = db.Units.Begin())
        {
            work.Approvals.Add(request);
            await work.CommitAsync(CancellationToken.None);
        }

        await using (var first = db.Units.Begin())
        {
            first.Approvals.Update(request with { State = Portal.Core.Approvals.ApprovalState.Approved, DecidedBy = "bob", Version = 2 }, expectedVersion: 1);
            await first.CommitAsync(CancellationToken.None);
        }

        await using (var second = db.Units.Begin())
        {
            second.Approvals.Update(request with { State = Portal.Core.Approvals.ApprovalState.Rejected, DecidedBy = "carol", Version = 2 }, expectedVersion: 1);
            await Should.ThrowAsync<Portal.Core.Actions.ConflictException>(() => second.CommitAsync(CancellationToken.None));
        }

        await using var read = db.Units.Begin();
        var stored = (await read.Approvals.FindAsync(request.Id, CancellationToken.None)).ShouldNotBeNull();
        (stored.State, stored.DecidedBy, stored.Version).ShouldBe((Portal.Core.Approvals.ApprovalState.Approved, "bob", 2));
        (await read.Approvals.ListAsync(Portal.Core.Approvals.ApprovalState.Pending, null, CancellationToken.None)).ShouldBeEmpty();
        (await read.Approvals.ListAsync(null, "prod-x", CancellationToken.None)).ShouldHaveSingleItem().Id.ShouldBe(request.Id);
    }

    [Fact]
    public async Task Environments_Quota_RoundTripsThroughTheUnitOfWork()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var env = Portal.Core.Environments.EnvironmentValidator.Create(new Portal.Core.Environments.CreateEnvironmentRequest
        {
            Name = "pr-q", DisplayName = "PR Q", Tier = "dev", OwningTeam = "t", CostCentre = "c",
            Quota = new Portal.Core.Environments.QuotaRequest { Cpu = "1500m", Memory = "3Gi", Pods = 12 },
        }, new Portal.Core.Environments.EnvironmentPolicyOptions(), "ann", DateTimeOffset.UtcNow);
        await using (var work = db.Units.Begin())
        {
            work.Environments.Add(env);
            await work.CommitAsync(CancellationToken.None);
        }

        await using var read = db.Units.Begin();
        (await read.Environments.FindAsync("pr-q", CancellationToken.None)).ShouldNotBeNull().Quota
            .ShouldBe(new Portal.Core.Environments.EnvironmentQuota("1500m", "3Gi", 12));
    }

    [Fact]
    public async Task Services_VersionedEdits_StaleEditIsAConflict_RevisionsKeepWhoChangedWhat()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var now = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);
        var v1 = Portal.Core.Catalog.ServiceValidator.Create(new Portal.Core.Catalog.ServiceInput
        {
            Name = "orders", OwningTeam = "shop", ImageRepository = "shop/orders", Ports = [new("http", 8080)],
            Secrets = [new("DB_PASSWORD", "orders-db", "password")], Env = new Dictionary<string, string> { ["A"] = "1" },
        }, "ann", now);
        await using (var work = db.Units.Begin())
        {
            work.Services.Add(v1, new(v1.Name, 1, v1, "ann", now, ["created"]));
            await work.CommitAsync(CancellationToken.None);
        }

        var v2 = Portal.Core.Catalog.ServiceValidator.Update(v1, Portal.Core.Catalog.ServiceInput.From(v1) with { DefaultReplicas = 3 }, "bob", now.AddMinutes(5));
        await using (var work = db.Units.Begin())
        {
            work.Services.Update(v2, 1, new(v2.Name, 2, v2, "bob", now.AddMinutes(5), ["defaultReplicas"]));
            await work.CommitAsync(CancellationToken.None);
        }

        await using (var stale = db.Units.Begin())
        {
            var v2b = Portal.Core.Catalog.ServiceValidator.Update(v1, Portal.Core.Catalog.ServiceInput.From(v1) with { Description = "x" }, "carol", now.AddMinutes(6));
            stale.Services.Update(v2b, 1, new(v2b.Name, 2, v2b, "carol", now.AddMinutes(6), ["description"]));
            await Should.ThrowAsync<Portal.Core.Actions.ConflictException>(() => stale.CommitAsync(CancellationToken.None));
        }

        await using var read = db.Units.Begin();
        var stored = (await read.Services.FindAsync("orders", CancellationToken.None)).ShouldNotBeNull();
        (stored.Version, stored.DefaultReplicas, stored.UpdatedBy, stored.CreatedBy, stored.Description).ShouldBe((2, 3, "bob", "ann", ""));
        stored.Secrets.ShouldBe([new Portal.Core.Catalog.SecretReference("DB_PASSWORD", "orders-db", "password")]);
        stored.Env.ShouldBe(new Dictionary<string, string> { ["A"] = "1" });
        (await read.Services.RevisionsAsync("orders", CancellationToken.None)).Select(r => (r.Version, r.ChangedBy, string.Join(",", r.Changed)))
            .ShouldBe([(2, "bob", "defaultReplicas"), (1, "ann", "created")]);
    }

    [Fact]
    public async Task SavedSearches_RoundTrip_VisibleToOwnerAndSharedEnvironments_OneNamePerOwner()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var now = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);
        var state = new Portal.Core.Logs.SavedSearchState
        {
            Query = "level:error and not path:\"/healthz\"", From = "now-1h", To = "now", Environment = "dev",
            Columns = ["level", "log"], Filters = [new("kubernetes.pod_name", "checkout-1", Negate: true)],
        };
        var mine = new Portal.Core.Logs.SavedSearch(Guid.NewGuid(), "Errors", "Ann", null, state, now);
        var shared = new Portal.Core.Logs.SavedSearch(Guid.NewGuid(), "Slow calls", "bob", "dev", new() { Query = "latency_ms >= 1000" }, now);
        var hidden = new Portal.Core.Logs.SavedSearch(Guid.NewGuid(), "Prod only", "bob", "prod", new(), now);
        await using (var work = db.Units.Begin())
        {
            work.SavedSearches.Add(mine);
            work.SavedSearches.Add(shared);
            work.SavedSearches.Add(hidden);
            await work.CommitAsync(CancellationToken.None);
        }

        await using (var twice = db.Units.Begin())
        {
            twice.SavedSearches.Add(mine with { Id = Guid.NewGuid(), Owner = "ann" });
            await Should.ThrowAsync<Portal.Core.Actions.ConflictException>(() => twice.CommitAsync(CancellationToken.None));
        }

        await using var read = db.Units.Begin();
        var visible = await read.SavedSearches.VisibleAsync("ann", ["dev"], CancellationToken.None);
        visible.Select(s => s.Name).ShouldBe(["Errors", "Slow calls"]);
        var stored = visible[0];
        (stored.Owner, stored.SharedWith, stored.CreatedAt, stored.State.Query, stored.State.From).ShouldBe(("Ann", null, now, state.Query, "now-1h"));
        stored.State.Columns.ShouldBe(["level", "log"]);
        stored.State.Filters.ShouldBe([new Portal.Core.Logs.LogFilter("kubernetes.pod_name", "checkout-1", true)]);
        (await read.SavedSearches.FindAsync(hidden.Id, CancellationToken.None)).ShouldNotBeNull().SharedWith.ShouldBe("prod");
    }

    [Fact]
    public async Task AccessTokens_Kind_RoundTrips()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var now = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);
        var ingest = new Portal.Core.Tokens.AccessToken(Guid.NewGuid(), "cli", "fluent-bit", "h1", "pti_abcdef", null, now, now.AddDays(365), null, null,
            Portal.Core.Tokens.TokenKind.Ingest);
        var personal = ingest with { Id = Guid.NewGuid(), Hash = "h2", Name = "ci", Kind = Portal.Core.Tokens.TokenKind.Personal };
        await using (var work = db.Units.Begin())
        {
            work.Tokens.Add(ingest);
            work.Tokens.Add(personal);
            await work.CommitAsync(CancellationToken.None);
        }

        await using var read = db.Units.Begin();
        (await read.Tokens.FindByHashAsync("h1", CancellationToken.None)).ShouldNotBeNull().Kind.ShouldBe(Portal.Core.Tokens.TokenKind.Ingest);
        (await read.Tokens.FindByHashAsync("h2", CancellationToken.None)).ShouldNotBeNull().Kind.ShouldBe(Portal.Core.Tokens.TokenKind.Personal);
    }

    [Fact]
    public async Task Releases_OneActivePerServiceAndEnvironment_NumbersPerPair_RoundTrip()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var now = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);
        Portal.Core.Deployments.Release Release(string service, int number, Portal.Core.Deployments.ReleaseState state, int minutes) => new()
        {
            Id = Guid.NewGuid(), Service = service, Environment = "dev", Number = number, State = state, RequestedBy = "ann", CreatedAt = now.AddMinutes(minutes),
            Spec = new() { Image = $"shop/{service}:1.{number}", Replicas = 2, Env = new Dictionary<string, string> { ["A"] = "1" } },
            Manifests = [new("deployment", "apps/v1", "Deployment", "dev", service, "kind: Deployment\n")],
            Samples = [new(now, 2, 1, 1, 0)],
        };
        var first = Release("orders", 1, Portal.Core.Deployments.ReleaseState.RollingOut, 0);
        await using (var work = db.Units.Begin())
        {
            work.Releases.Add(first);
            work.Releases.Add(Release("payments", 1, Portal.Core.Deployments.ReleaseState.RollingOut, 0));
            work.Releases.Add(Release("orders", 2, Portal.Core.Deployments.ReleaseState.Queued, 1));
            await work.CommitAsync(CancellationToken.None);
        }

        await using (var race = db.Units.Begin())
        {
            race.Releases.Add(Release("orders", 3, Portal.Core.Deployments.ReleaseState.Pending, 2));
            (await Should.ThrowAsync<Portal.Core.Actions.ConflictException>(() => race.CommitAsync(CancellationToken.None)))
                .Message.ShouldContain("Another deploy of this service to this environment");
        }

        await using (var work = db.Units.Begin())
        {
            (await work.Releases.NextNumberAsync("orders", "dev", CancellationToken.None)).ShouldBe(3);
            (await work.Releases.NextNumberAsync("orders", "prod", CancellationToken.None)).ShouldBe(1);
            work.Releases.Update(first with { State = Portal.Core.Deployments.ReleaseState.Succeeded, Version = 2 }, 1);
            work.Releases.Add(Release("orders", 3, Portal.Core.Deployments.ReleaseState.Pending, 2));
            await work.CommitAsync(CancellationToken.None);
        }

        await using var read = db.Units.Begin();
        var stored = (await read.Releases.FindAsync(first.Id, CancellationToken.None)).ShouldNotBeNull();
        (stored.Spec.Image, stored.Spec.Replicas, stored.Spec.Resources, stored.Spec.Version).ShouldBe((first.Spec.Image, 2, first.Spec.Resources, "1.1"));
        stored.Spec.Env.ShouldBe(new Dictionary<string, string> { ["A"] = "1" });
        stored.Manifests.ShouldBe(first.Manifests);
        stored.Samples.ShouldBe(first.Samples);
        (await read.Releases.ListAsync(new Portal.Core.Actions.ReleaseQuery { Service = "orders", Environment = "dev" }, CancellationToken.None))
            .Select(r => r.Number).ShouldBe([3, 2, 1]);
        (await read.Releases.ListAsync(new Portal.Core.Actions.ReleaseQuery { States = [Portal.Core.Deployments.ReleaseState.Queued] }, CancellationToken.None))
            .ShouldHaveSingleItem().Number.ShouldBe(2);
    }

    [Fact]
    public async Task Jobs_DeploysRunSideBySide_EnvironmentJobsStayOneAtATime()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        await using (var work = db.Units.Begin())
        {
            work.Jobs.Add(Portal.Core.Jobs.PortalJob.New("deployment.rollout", "dev", "ann", now, ["apply"]));
            work.Jobs.Add(Portal.Core.Jobs.PortalJob.New("deployment.rollout", "dev", "bob", now, ["apply"]));
            work.Jobs.Add(Portal.Core.Jobs.PortalJob.New("environment.update", "dev", "ann", now, ["namespace"]));
            await work.CommitAsync(CancellationToken.None);
        }

        await using var second = db.Units.Begin();
        second.Jobs.Add(Portal.Core.Jobs.PortalJob.New("environment.destroy", "dev", "ann", now, ["delete-namespace"]));
        await Should.ThrowAsync<Portal.Core.Actions.ConflictException>(() => second.CommitAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Approvals_MadeBeforeMigration5_SurviveIt_AndDeployRequestsNameTheirRelease()
    {
        var db = await NewDatabaseAsync();
        var scripts = SchemaScript.Load(db.Database.Provider);
        await db.Migrator([.. scripts.Where(s => s.Version < 5)]).MigrateAsync(CancellationToken.None);
        var now = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);
        var old = new Portal.Core.Approvals.ApprovalRequest
        {
            Id = Guid.NewGuid(), Environment = "prod-x", Action = Portal.Core.Approvals.ApprovalAction.Destroy, RequestedBy = "ann",
            RequestedAt = now, ExpiresAt = now.AddHours(72), State = Portal.Core.Approvals.ApprovalState.Pending,
            PreviousStatus = Portal.Core.Environments.EnvironmentStatus.Failed,
        };
        await using (var connection = db.Database.CreateConnection())
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO approval_requests (id, environment, action, requested_by, requested_at, expires_at, state, previous_status, version) " +
                $"VALUES ('{old.Id}', 'prod-x', 'Destroy', 'ann', '{now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}', '{now.AddHours(72).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}', 'Pending', 'Failed', 1)";
            await command.ExecuteNonQueryAsync();
        }

        await db.Migrator().MigrateAsync(CancellationToken.None);
        var deploy = old with { Id = Guid.NewGuid(), Action = Portal.Core.Approvals.ApprovalAction.Deploy, Release = Guid.NewGuid(), PreviousStatus = null };
        await using (var work = db.Units.Begin())
        {
            work.Approvals.Add(deploy);
            await work.CommitAsync(CancellationToken.None);
        }

        await using var read = db.Units.Begin();
        (await read.Approvals.FindAsync(old.Id, CancellationToken.None)).ShouldBe(old);
        (await read.Approvals.FindAsync(deploy.Id, CancellationToken.None)).ShouldBe(deploy);
    }

    [Fact]
    public async Task AlarmTriage_RoundTripsEveryField_TimesAsUtcToTheMicrosecond()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        // A browser's offset and microseconds: stored as the same instant in UTC, to the microsecond (PostgreSQL's precision).
        var local = new DateTimeOffset(2026, 11, 22, 12, 30, 0, TimeSpan.FromHours(2)).AddTicks(1_234_560);
        var triage = new AlarmTriage("dev-checkout-5xx", "ann", local, local.AddMinutes(-7), "bob", local.AddHours(2), "carol",
            "https://runbooks.example.com/checkout#5xx", 0);
        await using (var work = db.Units.Begin())
        {
            work.AlarmTriage.Save(triage, 0);
            work.AlarmTriage.Save(AlarmTriage.None("dev-orders-latency"), 0);
            await work.CommitAsync(CancellationToken.None);
        }

        await using var read = db.Units.Begin();
        var stored = (await read.AlarmTriage.FindAsync("dev-checkout-5xx", CancellationToken.None)).ShouldNotBeNull();
        stored.ShouldBe(triage with { Version = 1 });
        new[] { stored.AcknowledgedAt, stored.AcknowledgedEpisode, stored.SnoozedUntil }.ShouldAllBe(t => t!.Value.Offset == TimeSpan.Zero);
        stored.AcknowledgedAt!.Value.UtcDateTime.ShouldBe(new DateTime(2026, 11, 22, 10, 30, 0, DateTimeKind.Utc).AddTicks(1_234_560));
        (await read.AlarmTriage.FindAsync("dev-orders-latency", CancellationToken.None)).ShouldBe(AlarmTriage.None("dev-orders-latency") with { Version = 1 });
        (await read.AlarmTriage.FindAsync("dev-checkout", CancellationToken.None)).ShouldBeNull();
        (await read.AlarmTriage.ListAsync(CancellationToken.None)).Select(t => (t.AlarmName, t.Version))
            .ShouldBe([("dev-checkout-5xx", 1), ("dev-orders-latency", 1)]);
    }

    [Fact]
    public async Task AlarmTriage_Update_BumpsVersion_StaleVersionIsAConflictAndChangesNothing()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var now = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);
        var acked = new AlarmTriage("prod-api-cpu", "ann", now, now.AddMinutes(-3), "ann", null, null, "https://runbooks/cpu", 0);
        await using (var work = db.Units.Begin())
        {
            work.AlarmTriage.Save(acked, 0);
            await work.CommitAsync(CancellationToken.None);
        }

        // Acknowledgement cleared (a new episode), snoozed, runbook removed: nulls are written too.
        var snoozed = acked with { AcknowledgedBy = null, AcknowledgedAt = null, AcknowledgedEpisode = null, SnoozedUntil = now.AddHours(1), SnoozedBy = "bob", RunbookUrl = null };
        await using (var work = db.Units.Begin())
        {
            work.AlarmTriage.Save(snoozed, 1);
            await work.CommitAsync(CancellationToken.None);
        }

        await using (var stale = db.Units.Begin())
        {
            stale.AlarmTriage.Save(acked with { Assignee = "carol" }, 1);
            stale.AlarmTriage.AddNote(new AlarmNote(Guid.NewGuid(), "prod-api-cpu", "carol", now, "mine now"));
            (await Should.ThrowAsync<Portal.Core.Actions.ConflictException>(() => stale.CommitAsync(CancellationToken.None)))
                .Message.ShouldContain("changed by someone else");
        }

        await using (var missing = db.Units.Begin())
        {
            missing.AlarmTriage.Save(AlarmTriage.None("prod-api-memory") with { Assignee = "dan" }, 1);
            await Should.ThrowAsync<Portal.Core.Actions.ConflictException>(() => missing.CommitAsync(CancellationToken.None));
        }

        await using var read = db.Units.Begin();
        (await read.AlarmTriage.FindAsync("prod-api-cpu", CancellationToken.None)).ShouldBe(snoozed with { Version = 2 });
        (await read.AlarmTriage.NotesAsync("prod-api-cpu", CancellationToken.None)).ShouldBeEmpty("the note was part of the conflicting change");
        (await read.AlarmTriage.FindAsync("prod-api-memory", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task AlarmTriage_TwoFirstSavesOfOneAlarm_SecondIsAConflict()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var now = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);
        await using var ann = db.Units.Begin();
        await using var bob = db.Units.Begin();
        (await ann.AlarmTriage.FindAsync("prod-api-cpu", CancellationToken.None)).ShouldBeNull();
        (await bob.AlarmTriage.FindAsync("prod-api-cpu", CancellationToken.None)).ShouldBeNull();
        ann.AlarmTriage.Save(new AlarmTriage("prod-api-cpu", "ann", now, now, null, null, null, null, 0), 0);
        bob.AlarmTriage.Save(new AlarmTriage("prod-api-cpu", "bob", now, now, null, null, null, null, 0), 0);

        await ann.CommitAsync(CancellationToken.None);
        (await Should.ThrowAsync<Portal.Core.Actions.ConflictException>(() => bob.CommitAsync(CancellationToken.None)))
            .Message.ShouldContain("triaged this alarm");

        await using var read = db.Units.Begin();
        (await read.AlarmTriage.FindAsync("prod-api-cpu", CancellationToken.None)).ShouldNotBeNull().AcknowledgedBy.ShouldBe("ann");
    }

    [Fact]
    public async Task AlarmNotes_OldestFirst_OnlyTheAlarmsOwn_EveryFieldKept()
    {
        var db = await NewDatabaseAsync();
        await db.Migrator().MigrateAsync(CancellationToken.None);
        var now = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero).AddTicks(10);
        var second = new AlarmNote(Guid.NewGuid(), "prod-api-cpu", "bob", now.AddMinutes(5), "rolled back to 1.4");
        var first = new AlarmNote(Guid.NewGuid(), "prod-api-cpu", "ann", now, "looking; \"release 1.5\" went out at 10:25");
        var third = new AlarmNote(Guid.NewGuid(), "prod-api-cpu", "ann", new DateTimeOffset(2026, 11, 22, 12, 45, 0, TimeSpan.FromHours(2)), "back to normal");
        await using (var work = db.Units.Begin())
        {
            work.AlarmTriage.AddNote(second);
            work.AlarmTriage.AddNote(new AlarmNote(Guid.NewGuid(), "prod-api-memory", "carol", now.AddMinutes(1), "unrelated"));
            await work.CommitAsync(CancellationToken.None);
        }

        await using (var work = db.Units.Begin())
        {
            work.AlarmTriage.AddNote(third);
            work.AlarmTriage.AddNote(first);
            await work.CommitAsync(CancellationToken.None);
        }

        await using var read = db.Units.Begin();
        var notes = await read.AlarmTriage.NotesAsync("prod-api-cpu", CancellationToken.None);
        notes.ShouldBe([first, second, third]);
        notes[2].At.Offset.ShouldBe(TimeSpan.Zero);
        (await read.AlarmTriage.NotesAsync("prod-api-memory", CancellationToken.None)).ShouldHaveSingleItem().Author.ShouldBe("carol");
        (await read.AlarmTriage.NotesAsync("prod-api", CancellationToken.None)).ShouldBeEmpty();
        (await read.AlarmTriage.ListAsync(CancellationToken.None)).ShouldBeEmpty("notes alone make no triage");
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
