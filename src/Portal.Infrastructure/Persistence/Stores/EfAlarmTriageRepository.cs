using Microsoft.EntityFrameworkCore;
using Portal.Core.Alarms;

namespace Portal.Infrastructure.Persistence.Stores;

/// <summary>
/// Alarm triage on the unit of work's own DbContext, so a triage change, its note and its audit record commit together;
/// <see cref="EfUnitOfWork.CommitAsync"/> turns a lost update or a second first-triage into a conflict.
/// </summary>
internal sealed class EfAlarmTriageRepository(PortalDbContext db) : IAlarmTriageRepository
{
    public async Task<AlarmTriage?> FindAsync(string alarmName, CancellationToken ct) =>
        (await db.AlarmTriage.AsNoTracking().FirstOrDefaultAsync(t => t.AlarmName == alarmName, ct))?.ToDomain();

    public async Task<IReadOnlyList<AlarmTriage>> ListAsync(CancellationToken ct) =>
        [.. (await db.AlarmTriage.AsNoTracking().OrderBy(t => t.AlarmName).ToListAsync(ct)).Select(t => t.ToDomain())];

    // Notes made in the same instant keep one order on every read (by id), though not the order they were added in.
    public async Task<IReadOnlyList<AlarmNote>> NotesAsync(string alarmName, CancellationToken ct) =>
        [.. (await db.AlarmNotes.AsNoTracking().Where(n => n.AlarmName == alarmName).OrderBy(n => n.At).ThenBy(n => n.Id).ToListAsync(ct))
            .Select(n => n.ToDomain())];

    public void Save(AlarmTriage triage, int expectedVersion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        var entity = triage.ToEntity(expectedVersion + 1);
        if (expectedVersion == 0)
        {
            // A second first-triage of the alarm meets the primary key at commit.
            db.AlarmTriage.Add(entity);
        }
        else
        {
            db.UpdateIfVersion(entity, expectedVersion);
        }
    }

    public void AddNote(AlarmNote note) => db.AlarmNotes.Add(note.ToEntity());
}
