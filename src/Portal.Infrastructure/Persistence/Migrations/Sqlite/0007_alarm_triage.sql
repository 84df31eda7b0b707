-- Issue 8: what on-call people did about an alarm (acknowledged, assigned, snoozed, runbook linked) and their notes.
-- CloudWatch keeps none of this, so the portal does, keyed by the alarm name (unique in an account and region).
CREATE TABLE alarm_triage (
    alarm_name           TEXT    NOT NULL PRIMARY KEY,
    acknowledged_by      TEXT    NULL,
    acknowledged_at      TEXT    NULL,
    -- When the ALARM episode that was acknowledged began: the next episode is unacknowledged again.
    acknowledged_episode TEXT    NULL,
    assignee             TEXT    NULL,
    snoozed_until        TEXT    NULL,
    snoozed_by           TEXT    NULL,
    runbook_url          TEXT    NULL,
    version              INTEGER NOT NULL DEFAULT 1
);

-- No reference to alarm_triage: a note may be the first thing anyone does about an alarm.
CREATE TABLE alarm_notes (
    id         TEXT NOT NULL PRIMARY KEY,
    alarm_name TEXT NOT NULL,
    author     TEXT NOT NULL,
    at         TEXT NOT NULL,
    text       TEXT NOT NULL
);
CREATE INDEX ix_alarm_notes_alarm ON alarm_notes (alarm_name, at);
