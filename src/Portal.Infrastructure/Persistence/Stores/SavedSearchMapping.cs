using System.Text.Json;
using Portal.Core.Logs;
using Portal.Infrastructure.Persistence.Entities;

namespace Portal.Infrastructure.Persistence.Stores;

/// <summary>Saved searches to rows and back; the Discover state is stored as JSON.</summary>
internal static class SavedSearchMapping
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static SavedSearchEntity ToEntity(this SavedSearch d) => new()
    {
        Id = d.Id,
        Name = d.Name,
        Owner = d.Owner,
        SharedWith = d.SharedWith,
        State = JsonSerializer.Serialize(d.State, Json),
        CreatedAt = d.CreatedAt,
    };

    public static SavedSearch ToDomain(this SavedSearchEntity e) => new(
        e.Id, e.Name, e.Owner, e.SharedWith,
        JsonSerializer.Deserialize<SavedSearchState>(e.State, Json) ?? new SavedSearchState(),
        e.CreatedAt);
}
