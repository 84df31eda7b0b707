using System.Data.Common;
using Portal.Infrastructure.Persistence;

namespace Portal.Web.Cli;

internal static class MigrateCommand
{
    public static async Task<int> RunAsync(CommandContext context)
    {
        await using var app = context.BuildValidatedApp();
        var migrator = app.Services.GetRequiredService<SchemaMigrator>();
        var database = app.Services.GetRequiredService<PortalDatabase>();
        try
        {
            var applied = await migrator.MigrateAsync(CancellationToken.None);
            var latest = migrator.Scripts.Count == 0 ? 0 : migrator.Scripts[^1].Version;
            await Console.Out.WriteLineAsync(applied.Count == 0
                ? $"{database.Describe()}: schema is current (version {latest:D4})."
                : $"{database.Describe()}: applied {string.Join(", ", applied.Select(s => $"{s.Version:D4}_{s.Name}"))}; schema is at version {latest:D4}.");
            return PortalCommands.Ok;
        }
        catch (Exception ex) when (ex is DbException or SchemaDriftException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"portal: migrate failed on {database.Describe()}: {ex.Message}");
            return PortalCommands.Failed;
        }
    }
}
