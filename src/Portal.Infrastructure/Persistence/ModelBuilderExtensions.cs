using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Portal.Infrastructure.Persistence;

internal static class ModelBuilderExtensions
{
    /// <summary>Names every column after its property in snake_case (CreatedAt → created_at), as the SQL scripts do.</summary>
    public static void ApplySnakeCaseColumnNames(this ModelBuilder modelBuilder)
    {
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()))
        {
            property.SetColumnName(SnakeCase(property.Name));
        }
    }

    internal static string SnakeCase(string name)
    {
        var result = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                result.Append('_');
            }

            result.Append(char.ToLowerInvariant(name[i]));
        }

        return result.ToString();
    }
}
