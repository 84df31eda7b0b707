using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Core.Costs;

namespace Portal.Infrastructure.Persistence.Stores;

/// <summary>
/// Cost samples kept per hour in Portal's database, each call on a DbContext of its own. The statements are SQL rather
/// than LINQ because they add in the database: a sample is added into its hour's rows by an upsert, and the totals are
/// summed by GROUP BY, so nothing is read back and written again and 150,000 rows never travel to be added up here.
/// </summary>
public sealed class EfCostStore(IDbContextFactory<PortalDbContext> contexts) : ICostStore
{
    public async Task<bool> RecordSampleAsync(CostSlot slot, IReadOnlyList<CostRecord> records, CancellationToken ct)
    {
        Validate(slot, records);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sql = CostSql.For(db.Database);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var connection = db.Database.GetDbConnection();
        await using (var claim = Command(connection, transaction, CostSql.ClaimSlot))
        {
            claim.AddParameter("@cluster", slot.Cluster);
            claim.AddParameter("@slot_start", sql.Time(slot.Start));
            claim.AddParameter("@length_seconds", (int)slot.Length.TotalSeconds);
            claim.AddParameter("@usage_source", slot.Usage.ToString());
            claim.AddParameter("@sampled_at", sql.Time(slot.SampledAt));

            // Taken already (here or by another replica; a concurrent claim waits for the first to commit): roll back.
            if (await claim.ExecuteNonQueryAsync(ct) == 0)
            {
                return false;
            }
        }

        await using (var add = Command(connection, transaction, CostSql.AddRecord))
        {
            CostSql.Declare(add);

            // In key order, so two samples adding into the same rows at once lock them in the same order, never deadlock.
            var inKeyOrder = records
                .OrderBy(r => r.Hour)
                .ThenBy(r => r.Cluster, StringComparer.Ordinal)
                .ThenBy(r => r.Subject)
                .ThenBy(r => r.Namespace, StringComparer.Ordinal)
                .ThenBy(r => r.Name, StringComparer.Ordinal);
            foreach (var record in inKeyOrder)
            {
                sql.Bind(add, record, slot.Start);
                await add.ExecuteNonQueryAsync(ct);
            }
        }

        await transaction.CommitAsync(ct);
        return true;
    }

    public async Task<IReadOnlyList<CostRecord>> RecordsAsync(CostQuery query, CancellationToken ct) =>
        await ReadRecordsAsync(query, CostSql.Records, ct);

    public async Task<IReadOnlyList<CostRecord>> TotalsAsync(CostQuery query, CancellationToken ct) =>
        await ReadRecordsAsync(query, CostSql.Totals, ct);

    public async Task<IReadOnlyList<CostSlot>> SlotsAsync(DateTimeOffset from, DateTimeOffset to, string? cluster, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sql = CostSql.For(db.Database);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = Command(db.Database.GetDbConnection(), null, CostSql.Slots(cluster is not null));
        command.AddParameter("@from", sql.Time(from));
        command.AddParameter("@to", sql.Time(to));
        if (cluster is not null)
        {
            command.AddParameter("@cluster", cluster);
        }

        var slots = new List<CostSlot>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            slots.Add(sql.ReadSlot(reader));
        }

        return slots;
    }

    public async Task<CostStoreVersion> VersionAsync(string cluster, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sql = CostSql.For(db.Database);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = Command(db.Database.GetDbConnection(), null, CostSql.Version);
        command.AddParameter("@cluster", cluster);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return sql.ReadVersion(reader);
    }

    private async Task<IReadOnlyList<CostRecord>> ReadRecordsAsync(CostQuery query, Func<string, string> statement, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sql = CostSql.For(db.Database);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = Command(db.Database.GetDbConnection(), null, "");
        command.CommandText = statement(sql.Where(command, query));
        var records = new List<CostRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            records.Add(sql.ReadRecord(reader));
        }

        return records;
    }

    private static DbCommand Command(DbConnection connection, IDbContextTransaction? transaction, string text)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        command.Transaction = transaction?.GetDbTransaction();
        return command;
    }

    /// <summary>A slot is at most an hour and every record belongs to the slot's cluster and hour: the sampler's contract.</summary>
    private static void Validate(CostSlot slot, IReadOnlyList<CostRecord> records)
    {
        if (slot.Length <= TimeSpan.Zero || slot.Length > TimeSpan.FromHours(1) || slot.Length.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException($"A slot is a whole number of seconds, at most an hour; got {slot.Length}.", nameof(slot));
        }

        var start = slot.Start.ToUniversalTime();
        var hour = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, 0, 0, TimeSpan.Zero);
        foreach (var record in records)
        {
            if (record.Cluster != slot.Cluster || record.Hour != hour)
            {
                throw new ArgumentException(
                    $"Record {record.Subject} {record.Namespace}/{record.Name} is for {record.Cluster} at {record.Hour:O}, not the slot's {slot.Cluster} at {hour:O}.",
                    nameof(records));
            }
        }
    }
}
