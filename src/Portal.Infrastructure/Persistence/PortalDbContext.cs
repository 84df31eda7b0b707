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
    public DbSet<EnvironmentEntity> Environments => Set<EnvironmentEntity>();

    public DbSet<DataProtectionKeyEntity> DataProtectionKeys => Set<DataProtectionKeyEntity>();

    public DbSet<RoleBindingEntity> RoleBindings => Set<RoleBindingEntity>();

    public DbSet<UserEntity> Users => Set<UserEntity>();

    public DbSet<AccessTokenEntity> AccessTokens => Set<AccessTokenEntity>();

    public DbSet<AuditRecordEntity> AuditRecords => Set<AuditRecordEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.IsSqlite())
        {
            // SQLite has no date type: store UTC as fixed-width ISO 8601 text, so text order is time order and
            // EF can translate comparisons and ORDER BY.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcIsoTextConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcIsoTextConverter>();
            configurationBuilder.Properties<Guid>().HaveConversion<GuidTextConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<EnvironmentEntity>(e =>
        {
            e.ToTable("environments");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(63);
            e.Property(x => x.DisplayName).HasColumnName("display_name").HasMaxLength(200);
            e.Property(x => x.Tier).HasColumnName("tier").HasMaxLength(16);
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.Cluster).HasColumnName("cluster");
            e.Property(x => x.Namespace).HasColumnName("namespace");
            e.Property(x => x.OwningTeam).HasColumnName("owning_team");
            e.Property(x => x.CostCentre).HasColumnName("cost_centre");
            e.Property(x => x.MonthlyBudget).HasColumnName("monthly_budget");
            e.Property(x => x.ExpiresAt).HasColumnName("expires_at");
            e.Property(x => x.Labels).HasColumnName("labels");
            e.Property(x => x.CreatedBy).HasColumnName("created_by");
            e.Property(x => x.Status).HasColumnName("status");
            e.Property(x => x.Version).HasColumnName("version").IsConcurrencyToken();
        });

        modelBuilder.Entity<DataProtectionKeyEntity>(e =>
        {
            e.ToTable("data_protection_keys");
            e.HasKey(x => x.FriendlyName);
            e.Property(x => x.FriendlyName).HasColumnName("friendly_name").HasMaxLength(200);
            e.Property(x => x.Xml).HasColumnName("xml");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
        });

        modelBuilder.Entity<RoleBindingEntity>(e =>
        {
            e.ToTable("role_bindings");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.SubjectKind).HasColumnName("subject_kind");
            e.Property(x => x.Subject).HasColumnName("subject");
            e.Property(x => x.Role).HasColumnName("role");
            e.Property(x => x.ScopeKind).HasColumnName("scope_kind");
            e.Property(x => x.ScopeValue).HasColumnName("scope_value");
            e.Property(x => x.ExpiresAt).HasColumnName("expires_at");
            e.Property(x => x.CreatedBy).HasColumnName("created_by");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
        });

        modelBuilder.Entity<UserEntity>(e =>
        {
            e.ToTable("users");
            e.HasKey(x => x.UserName);
            e.Property(x => x.UserName).HasColumnName("user_name");
            e.Property(x => x.DisplayName).HasColumnName("display_name");
            e.Property(x => x.Email).HasColumnName("email");
            e.Property(x => x.Groups).HasColumnName("groups");
            e.Property(x => x.Source).HasColumnName("source");
            e.Property(x => x.PasswordHash).HasColumnName("password_hash");
            e.Property(x => x.FailedAttempts).HasColumnName("failed_attempts");
            e.Property(x => x.LockoutUntil).HasColumnName("lockout_until");
            e.Property(x => x.Disabled).HasColumnName("disabled");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.LastSignInAt).HasColumnName("last_sign_in_at");
        });

        modelBuilder.Entity<AccessTokenEntity>(e =>
        {
            e.ToTable("access_tokens");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.UserName).HasColumnName("user_name");
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.Hash).HasColumnName("hash");
            e.Property(x => x.Prefix).HasColumnName("prefix");
            e.Property(x => x.Environments).HasColumnName("environments");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.ExpiresAt).HasColumnName("expires_at");
            e.Property(x => x.RevokedAt).HasColumnName("revoked_at");
            e.Property(x => x.LastUsedAt).HasColumnName("last_used_at");
        });

        modelBuilder.Entity<AuditRecordEntity>(e =>
        {
            e.ToTable("audit_records");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.At).HasColumnName("at");
            e.Property(x => x.Actor).HasColumnName("actor");
            e.Property(x => x.Channel).HasColumnName("channel");
            e.Property(x => x.ClientAddress).HasColumnName("client_address");
            e.Property(x => x.Environment).HasColumnName("environment");
            e.Property(x => x.Action).HasColumnName("action");
            e.Property(x => x.Target).HasColumnName("target");
            e.Property(x => x.Parameters).HasColumnName("parameters");
            e.Property(x => x.Outcome).HasColumnName("outcome");
            e.Property(x => x.Reason).HasColumnName("reason");
            e.Property(x => x.CorrelationId).HasColumnName("correlation_id");
        });
    }

    private sealed class UtcIsoTextConverter() : ValueConverter<DateTimeOffset, string>(
        v => v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        v => DateTimeOffset.Parse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));

    private sealed class GuidTextConverter() : ValueConverter<Guid, string>(v => v.ToString("D"), v => Guid.Parse(v));
}
