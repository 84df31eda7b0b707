using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Persistence.Entities;

namespace Portal.Infrastructure.Persistence.DataProtection;

/// <summary>
/// Keeps ASP.NET Core's Data Protection key ring in Portal's database, so every replica reads the same keys and
/// a restart does not sign everybody out. The interface is synchronous by design of Data Protection.
/// </summary>
public sealed class DatabaseXmlRepository(IDbContextFactory<PortalDbContext> contexts, TimeProvider clock) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = contexts.CreateDbContext();
        return [.. db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.FriendlyName).Select(k => k.Xml).AsEnumerable().Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = contexts.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKeyEntity
        {
            FriendlyName = friendlyName,
            Xml = element.ToString(SaveOptions.DisableFormatting),
            CreatedAt = clock.GetUtcNow(),
        });
        db.SaveChanges();
    }
}
