using System.Globalization;
using System.Text;
using Portal.Core.Audit;

namespace Portal.Web.Features.Audit;

/// <summary>RFC 4180 CSV of audit records. Cells that a spreadsheet would run as a formula are prefixed with '.</summary>
public static class AuditCsv
{
    public const string Header = "at,actor,channel,clientAddress,environment,action,target,outcome,reason,correlationId,parameters";

    public static string Row(AuditRecord r) => string.Join(',',
        Cell(r.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        Cell(r.Actor), Cell(r.Channel), Cell(r.ClientAddress), Cell(r.Environment), Cell(r.Action), Cell(r.Target),
        Cell(r.Outcome.ToString()), Cell(r.Reason), Cell(r.CorrelationId), Cell(r.Parameters));

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    public static async Task WriteAsync(Stream body, IAsyncEnumerable<AuditRecord> records, CancellationToken ct)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), leaveOpen: true);
        await writer.WriteAsync(Header + "\r\n");
        await foreach (var record in records.WithCancellation(ct))
        {
            await writer.WriteAsync(Row(record) + "\r\n");
        }
    }
}
