-- Issue 8: what on-call people did about an alarm (acknowledged, assigned, snoozed, runbook linked) and their notes.
-- CloudWatch keeps none of this, so the portal does, keyed by the alarm name (unique in an account and region).
CREATE TABLE alarm_triage (
    alarm_name           varchar(255) NOT NULL PRIMARY KEY,
    acknowledged_by      varchar(200) NULL,
    acknowledged_at      timestamptz  NULL,
    -- When the ALARM episode that was acknowledged began: the next episode is unacknowledged again.
    acknowledged_episode timestamptz  NULL,
    assignee             varchar(200) NULL,
    snoozed_until        timestamptz  NULL,
    snoozed_by           varchar(200) NULL,
    runbook_url          text         NULL,
    version              integer      NOT NULL DEFAULT 1
);

-- No reference to alarm_triage: a note may be the first thing anyone does about an alarm.
CREATE TABLE alarm_notes (
    id         uuid         NOT NULL PRIMARY KEY,
    alarm_name varchar(255) NOT NULL,
    author     varchar(200) NOT NULL,
    at         timestamptz  NOT NULL,
    text       text         NOT NULL
);
CREATE INDEX ix_alarm_notes_alarm ON alarm_notes (alarm_name, at);
