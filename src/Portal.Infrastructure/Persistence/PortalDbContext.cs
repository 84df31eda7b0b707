using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Persistence.Entities;

namespace Portal.Infrastructure.Persistence;

/// <summary>
/// Portal's relational store. The schema is owned by the SQL scripts under Migrations/ (see docs/adr/0002);
/// this model maps onto it and SchemaMatchesModel tests keep the two in step.
/// </summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options)
{
    public DbSet<EnvironmentEntity> Environments => Set<EnvironmentEntity>();

    public DbSet<DataProtectionKeyEntity> DataProtectionKeys => Set<DataProtectionKeyEntity>();

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
        });

        modelBuilder.Entity<DataProtectionKeyEntity>(e =>
        {
            e.ToTable("data_protection_keys");
            e.HasKey(x => x.FriendlyName);
            e.Property(x => x.FriendlyName).HasColumnName("friendly_name").HasMaxLength(200);
            e.Property(x => x.Xml).HasColumnName("xml");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
        });
    }
}
