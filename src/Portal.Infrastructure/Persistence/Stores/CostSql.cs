using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Portal.Core.Costs;

namespace Portal.Infrastructure.Persistence.Stores;

/// <summary>
/// The cost tables' statements and the values bound to them. The SQL is the same on both providers (SQLite 3.24+ has
/// PostgreSQL's upsert); what differs is how an instant and an amount of money are held (see 0008_costs.sql): SQLite
/// keeps ISO text and integer pico-units, PostgreSQL timestamptz and numeric(24, 12).
/// </summary>
internal sealed class CostSql(bool sqlite)
{
    private const decimal PicoUnits = 1_000_000_000_000m;

    /// <summary>What one SQLite row holds: a signed 64-bit count of pico-units.</summary>
    private const decimal MaxAmount = long.MaxValue / PicoUnits;

    private static readonly string[] KeyColumns = ["hour", "cluster", "subject", "namespace", "name"];

    // Added up when a sample meets the hour's row.
    private static readonly string[] SummedColumns =
    [
        "hours", "cpu_request_core_hours", "cpu_allocated_core_hours", "memory_request_gib_hours", "memory_allocated_gib_hours", "quantity",
        "cpu_cost", "memory_cost", "other_cost",
    ];

    // Unknown in a sample (no metrics for the pod yet) is left out of the sum; unknown in every sample stays unknown,
    // which is also what SUM does across rows.
    private static readonly string[] UsageColumns = ["cpu_usage_core_hours", "memory_usage_gib_hours"];

    // Taken from the newest slot.
    private static readonly string[] NewestColumns = ["service", "detail", "cpu_price", "memory_price", "unit_price", "last_slot"];

    /// <summary>Every column of a record, in the order <see cref="ReadRecord"/> reads them.</summary>
    private static readonly string[] RecordColumns =
    [
        "hour", "cluster", "subject", "namespace", "name", "service", "detail", "hours",
        "cpu_request_core_hours", "cpu_usage_core_hours", "cpu_allocated_core_hours",
        "memory_request_gib_hours", "memory_usage_gib_hours", "memory_allocated_gib_hours", "quantity",
        "cpu_price", "memory_price", "unit_price", "cpu_cost", "memory_cost", "other_cost",
    ];

    private static readonly string[] PriceColumns = ["cpu_price", "memory_price", "unit_price"];

    public static CostSql For(DatabaseFacade database) => new(database.IsSqlite());

    public static string ClaimSlot =>
        "INSERT INTO cost_slots (cluster, slot_start, length_seconds, usage_source, sampled_at) " +
        "VALUES (@cluster, @slot_start, @length_seconds, @usage_source, @sampled_at) ON CONFLICT DO NOTHING";

    public static string Slots(bool oneCluster) =>
        "SELECT cluster, slot_start, length_seconds, usage_source, sampled_at FROM cost_slots " +
        "WHERE slot_start >= @from AND slot_start < @to" + (oneCluster ? " AND cluster = @cluster" : "") + " ORDER BY slot_start, cluster";

    public static string Version => "SELECT COUNT(*), MAX(sampled_at) FROM cost_slots WHERE cluster = @cluster";

    public static string AddRecord { get; } = BuildAddRecord();

    /// <summary>The rows themselves, newest hour first.</summary>
    public static string Records(string where) =>
        $"SELECT {string.Join(", ", RecordColumns)} FROM cost_records {where} ORDER BY hour DESC, cluster, subject, namespace, name";

    /// <summary>The rows summed per hour, cluster, subject kind, namespace and service; name and detail left empty.</summary>
    public static string Totals(string where)
    {
        var select = RecordColumns.Select(c => c switch
        {
            "hour" or "cluster" or "subject" or "namespace" or "service" => c,
            "name" => "'' AS name",
            "detail" => "NULL AS detail",
            _ when PriceColumns.Contains(c) => $"MAX({c})",
            _ => $"SUM({c})",
        });
        return $"SELECT {string.Join(", ", select)} FROM cost_records {where} " +
            "GROUP BY hour, cluster, subject, namespace, service ORDER BY hour, cluster, subject, namespace, service NULLS FIRST";
    }

    /// <summary>The query's filter as a WHERE clause, its values bound to <paramref name="command"/>.</summary>
    public string Where(DbCommand command, CostQuery query)
    {
        var sql = new StringBuilder("WHERE hour >= @from AND hour < @to");
        command.AddParameter("@from", Time(query.From));
        command.AddParameter("@to", Time(query.To));
        if (query.Cluster is not null)
        {
            sql.Append(" AND cluster = @cluster");
            command.AddParameter("@cluster", query.Cluster);
        }

        if (query.Namespaces is not null)
        {
            sql.Append(In(command, "namespace", query.Namespaces));
        }

        if (query.Service is not null)
        {
            sql.Append(" AND service = @service");
            command.AddParameter("@service", query.Service);
        }

        if (query.Subjects is not null)
        {
            sql.Append(In(command, "subject", query.Subjects.Select(s => s.ToString())));
        }

        return sql.ToString();
    }

    /// <summary>Binds the parameters of <see cref="AddRecord"/>, once per command; <see cref="Bind"/> fills them per record.</summary>
    public static void Declare(DbCommand command)
    {
        foreach (var column in RecordColumns.Append("last_slot"))
        {
            command.AddParameter("@" + column, null);
        }
    }

    public void Bind(DbCommand command, CostRecord r, DateTimeOffset slotStart)
    {
        object?[] values =
        [
            Time(r.Hour), r.Cluster, r.Subject.ToString(), r.Namespace, r.Name, r.Service, r.Detail, r.Hours,
            r.CpuRequestCoreHours, r.CpuUsageCoreHours, r.CpuAllocatedCoreHours,
            r.MemoryRequestGiBHours, r.MemoryUsageGiBHours, r.MemoryAllocatedGiBHours, r.Quantity,
            Money(r.CpuPrice), Money(r.MemoryPrice), Money(r.UnitPrice), Money(r.CpuCost), Money(r.MemoryCost), Money(r.OtherCost),
            Time(slotStart),
        ];
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    public CostRecord ReadRecord(DbDataReader r) => new()
    {
        Hour = ReadTime(r, 0),
        Cluster = r.GetString(1),
        Subject = Enum.Parse<CostSubject>(r.GetString(2)),
        Namespace = r.GetString(3),
        Name = r.GetString(4),
        Service = r.IsDBNull(5) ? null : r.GetString(5),
        Detail = r.IsDBNull(6) ? null : r.GetString(6),
        Hours = r.GetDouble(7),
        CpuRequestCoreHours = r.GetDouble(8),
        CpuUsageCoreHours = r.IsDBNull(9) ? null : r.GetDouble(9),
        CpuAllocatedCoreHours = r.GetDouble(10),
        MemoryRequestGiBHours = r.GetDouble(11),
        MemoryUsageGiBHours = r.IsDBNull(12) ? null : r.GetDouble(12),
        MemoryAllocatedGiBHours = r.GetDouble(13),
        Quantity = r.GetDouble(14),
        CpuPrice = ReadMoney(r, 15),
        MemoryPrice = ReadMoney(r, 16),
        UnitPrice = ReadMoney(r, 17),
        CpuCost = ReadMoney(r, 18),
        MemoryCost = ReadMoney(r, 19),
        OtherCost = ReadMoney(r, 20),
    };

    public CostStoreVersion ReadVersion(DbDataReader r) => new(r.GetInt64(0), r.IsDBNull(1) ? null : ReadTime(r, 1));

    public CostSlot ReadSlot(DbDataReader r) => new(
        r.GetString(0), ReadTime(r, 1), TimeSpan.FromSeconds(r.GetInt64(2)), Enum.Parse<UsageSource>(r.GetString(3)), ReadTime(r, 4));

    public object Time(DateTimeOffset at) =>
        sqlite ? at.UtcDateTime.ToString(PortalDbContext.SqliteTimeFormat, CultureInfo.InvariantCulture) : at.ToUniversalTime();

    /// <summary>Rounded to 10^-12 (half away from zero, as PostgreSQL's numeric rounds) on both providers alike.</summary>
    public object Money(decimal amount)
    {
        var rounded = Math.Round(amount, 12, MidpointRounding.AwayFromZero);
        if (Math.Abs(rounded) > MaxAmount)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, $"A cost record holds amounts up to {MaxAmount:N0}.");
        }

        return sqlite ? (long)(rounded * PicoUnits) : rounded;
    }

    private DateTimeOffset ReadTime(DbDataReader r, int ordinal) => sqlite
        ? DateTimeOffset.Parse(r.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
        : r.GetFieldValue<DateTimeOffset>(ordinal);

    // Trailing zeros dropped (numeric(24, 12) answers 0.300000000000), so both providers return the same figure, 0.3.
    private decimal ReadMoney(DbDataReader r, int ordinal) =>
        (sqlite ? r.GetInt64(ordinal) / PicoUnits : r.GetDecimal(ordinal)) / 1.000000000000000000000000000000000m;

    private static string In(DbCommand command, string column, IEnumerable<string> values)
    {
        var names = new List<string>();
        foreach (var value in values.Distinct(StringComparer.Ordinal))
        {
            var name = $"@{column}{names.Count}";
            command.AddParameter(name, value);
            names.Add(name);
        }

        // An empty list matches nothing: a caller who may see no namespace must not see them all.
        return names.Count == 0 ? " AND 1 = 0" : $" AND {column} IN ({string.Join(", ", names)})";
    }

    private static string BuildAddRecord()
    {
        var columns = RecordColumns.Append("last_slot").ToList();
        var set = SummedColumns.Select(c => $"{c} = cost_records.{c} + excluded.{c}")
            .Concat(UsageColumns.Select(c =>
                $"{c} = CASE WHEN cost_records.{c} IS NULL AND excluded.{c} IS NULL THEN NULL ELSE COALESCE(cost_records.{c}, 0) + COALESCE(excluded.{c}, 0) END"))
            .Concat(NewestColumns.Select(c =>
                $"{c} = CASE WHEN excluded.last_slot >= cost_records.last_slot THEN excluded.{c} ELSE cost_records.{c} END"));
        return $"INSERT INTO cost_records ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))}) " +
            $"ON CONFLICT ({string.Join(", ", KeyColumns)}) DO UPDATE SET {string.Join(", ", set)}";
    }
}
