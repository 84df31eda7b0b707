using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Infrastructure.Persistence.Entities;

namespace Portal.Infrastructure.Persistence;

/// <summary>
/// Portal's relational store. The schema is owned by the SQL scripts under Migrations/ (see docs/adr/0002);
/// this model maps onto it and the SchemaMigratorContract tests keep the two in step.
/// </summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options)
{
    /// <summary>How SQLite holds a UTC instant: fixed-width ISO 8601 text, so text order is time order. Raw SQL writes the same.</summary>
    internal const string SqliteTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public DbSet<EnvironmentEntity> Environments => Set<EnvironmentEntity>();

    public DbSet<DataProtectionKeyEntity> DataProtectionKeys => Set<DataProtectionKeyEntity>();

    public DbSet<RoleBindingEntity> RoleBindings => Set<RoleBindingEntity>();

    public DbSet<UserEntity> Users => Set<UserEntity>();

    public DbSet<AccessTokenEntity> AccessTokens => Set<AccessTokenEntity>();

    public DbSet<AuditRecordEntity> AuditRecords => Set<AuditRecordEntity>();

    public DbSet<JobEntity> Jobs => Set<JobEntity>();

    public DbSet<JobStepEntity> JobSteps => Set<JobStepEntity>();

    public DbSet<JobLogEntity> JobLogs => Set<JobLogEntity>();

    public DbSet<ApprovalRequestEntity> ApprovalRequests => Set<ApprovalRequestEntity>();

    public DbSet<ServiceEntity> Services => Set<ServiceEntity>();

    public DbSet<ServiceRevisionEntity> ServiceRevisions => Set<ServiceRevisionEntity>();

    public DbSet<ReleaseEntity> Releases => Set<ReleaseEntity>();

    public DbSet<SavedSearchEntity> SavedSearches => Set<SavedSearchEntity>();

    public DbSet<AlarmTriageEntity> AlarmTriage => Set<AlarmTriageEntity>();

    public DbSet<AlarmNoteEntity> AlarmNotes => Set<AlarmNoteEntity>();

    public DbSet<TeamBudgetEntity> TeamBudgets => Set<TeamBudgetEntity>();

    public DbSet<BudgetNoticeEntity> BudgetNotices => Set<BudgetNoticeEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.IsSqlite())
        {
            // SQLite has no date type: store UTC as fixed-width ISO 8601 text, so text order is time order and
            // EF can translate comparisons and ORDER BY.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcIsoTextConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcIsoTextConverter>();
            configurationBuilder.Properties<Guid>().HaveConversion<GuidTextConverter>();
            configurationBuilder.Properties<Guid?>().HaveConversion<GuidTextConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {

        modelBuilder.Entity<EnvironmentEntity>(e =>
        {
            e.ToTable("environments");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(63);
            e.Property(x => x.DisplayName).HasMaxLength(200);
            e.Property(x => x.Tier).HasMaxLength(16);
            e.Property(x => x.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<DataProtectionKeyEntity>(e =>
        {
            e.ToTable("data_protection_keys");
            e.HasKey(x => x.FriendlyName);
            e.Property(x => x.FriendlyName).HasMaxLength(200);
        });

        modelBuilder.Entity<RoleBindingEntity>(e =>
        {
            e.ToTable("role_bindings");
            e.HasKey(x => x.Id);
        });

        modelBuilder.Entity<UserEntity>(e =>
        {
            e.ToTable("users");
            e.HasKey(x => x.UserName);
        });

        modelBuilder.Entity<AccessTokenEntity>(e =>
        {
            e.ToTable("access_tokens");
            e.HasKey(x => x.Id);
        });

        modelBuilder.Entity<AuditRecordEntity>(e =>
        {
            e.ToTable("audit_records");
            e.HasKey(x => x.Id);
        });

        modelBuilder.Entity<JobEntity>(e =>
        {
            e.ToTable("jobs");
            e.HasKey(x => x.Id);
        });

        modelBuilder.Entity<JobStepEntity>(e =>
        {
            e.ToTable("job_steps");
            e.HasKey(x => new { x.JobId, x.StepIndex });
            e.HasOne<JobEntity>().WithMany().HasForeignKey(x => x.JobId);
        });

        modelBuilder.Entity<JobLogEntity>(e =>
        {
            e.ToTable("job_logs");
            e.HasKey(x => x.Sequence);
            e.Property(x => x.Sequence).ValueGeneratedOnAdd();
            e.HasOne<JobEntity>().WithMany().HasForeignKey(x => x.JobId);
        });

        modelBuilder.Entity<ApprovalRequestEntity>(e =>
        {
            e.ToTable("approval_requests");
            e.HasKey(x => x.Id);
            e.Property(x => x.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<SavedSearchEntity>(e =>
        {
            e.ToTable("saved_searches");
            e.HasKey(x => x.Id);
        });

        modelBuilder.Entity<ServiceEntity>(e =>
        {
            e.ToTable("services");
            e.HasKey(x => x.Name);
            e.Property(x => x.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<ServiceRevisionEntity>(e =>
        {
            e.ToTable("service_revisions");
            e.HasKey(x => new { x.Service, x.Version });
            // Known to EF so that a new service is inserted before its first revision.
            e.HasOne<ServiceEntity>().WithMany().HasForeignKey(x => x.Service);
        });

        modelBuilder.Entity<ReleaseEntity>(e =>
        {
            e.ToTable("releases");
            e.HasKey(x => x.Id);
            e.Property(x => x.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<AlarmTriageEntity>(e =>
        {
            e.ToTable("alarm_triage");
            e.HasKey(x => x.AlarmName);
            e.Property(x => x.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<AlarmNoteEntity>(e =>
        {
            e.ToTable("alarm_notes");
            e.HasKey(x => x.Id);
        });

        modelBuilder.Entity<TeamBudgetEntity>(e =>
        {
            e.ToTable("team_budgets");
            e.HasKey(x => x.Team);
            e.Property(x => x.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<BudgetNoticeEntity>(e =>
        {
            e.ToTable("budget_notices");
            e.HasKey(x => x.Id);
        });

        // The scripts name every column in snake_case; the properties are PascalCase.
        modelBuilder.ApplySnakeCaseColumnNames();
    }

    private sealed class UtcIsoTextConverter() : ValueConverter<DateTimeOffset, string>(
        v => v.UtcDateTime.ToString(SqliteTimeFormat, CultureInfo.InvariantCulture),
        v => DateTimeOffset.Parse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));

    private sealed class GuidTextConverter() : ValueConverter<Guid, string>(v => v.ToString("D"), v => Guid.Parse(v));
}
