using Microsoft.EntityFrameworkCore;

namespace Portal.Infrastructure.Persistence.Stores;

internal static class VersionedUpdate
{
    /// <summary>
    /// Writes every column of <paramref name="entity"/> at commit, provided its row's <c>Version</c> is still
    /// <paramref name="expectedVersion"/>: otherwise (someone else's change came first, or the row is gone) the
    /// commit fails with <see cref="DbUpdateConcurrencyException"/>. No read first, so nothing can slip in between.
    /// </summary>
    public static void UpdateIfVersion<TEntity>(this DbContext db, TEntity entity, int expectedVersion)
        where TEntity : class
    {
        var entry = db.Attach(entity);
        entry.Property("Version").OriginalValue = expectedVersion;
        foreach (var property in entry.Properties.Where(p => !p.Metadata.IsPrimaryKey()))
        {
            property.IsModified = true;
        }
    }
}
