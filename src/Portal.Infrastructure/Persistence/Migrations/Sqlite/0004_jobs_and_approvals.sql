-- Issue 5: the job engine's records (Quartz keeps its own qrtz_* tables, see docs/adr/0009), four-eyes requests,
-- and each environment's quota.
ALTER TABLE environments ADD COLUMN quota_cpu    TEXT    NOT NULL DEFAULT '';
ALTER TABLE environments ADD COLUMN quota_memory TEXT    NOT NULL DEFAULT '';
ALTER TABLE environments ADD COLUMN quota_pods   INTEGER NOT NULL DEFAULT 0;

CREATE TABLE jobs (
    id               TEXT    NOT NULL PRIMARY KEY,
    kind             TEXT    NOT NULL,
    environment      TEXT    NULL,
    requested_by     TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled')),
    started_at       TEXT    NULL,
    finished_at      TEXT    NULL,
    error            TEXT    NULL,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    cancelled_by     TEXT    NULL,
    worker           TEXT    NULL
);
CREATE INDEX ix_jobs_created_at ON jobs (created_at);
CREATE INDEX ix_jobs_environment_state ON jobs (environment, state);
-- One unfinished job per environment: two jobs on one namespace would undo each other's work.
CREATE UNIQUE INDEX ux_jobs_environment_unfinished ON jobs (environment) WHERE state IN ('Queued', 'Running');

CREATE TABLE job_steps (
    job_id          TEXT    NOT NULL REFERENCES jobs (id),
    step_index      INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('Pending', 'Running', 'Retrying', 'Succeeded', 'Failed', 'Skipped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    started_at      TEXT    NULL,
    finished_at     TEXT    NULL,
    error           TEXT    NULL,
    next_attempt_at TEXT    NULL,
    PRIMARY KEY (job_id, step_index)
);

CREATE TABLE job_logs (
    sequence   INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    job_id     TEXT    NOT NULL REFERENCES jobs (id),
    step_index INTEGER NOT NULL,
    at         TEXT    NOT NULL,
    level      TEXT    NOT NULL,
    message    TEXT    NOT NULL
);
CREATE INDEX ix_job_logs_job ON job_logs (job_id, sequence);

CREATE TABLE approval_requests (
    id           TEXT    NOT NULL PRIMARY KEY,
    environment  TEXT    NOT NULL,
    action       TEXT    NOT NULL CHECK (action IN ('Create', 'Destroy')),
    requested_by TEXT    NOT NULL,
    requested_at TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('Pending', 'Approved', 'Rejected', 'Expired')),
    decided_by   TEXT    NULL,
    decided_at   TEXT    NULL,
    comment      TEXT    NULL,
    job_id       TEXT    NULL,
    -- A destroy request not approved puts the environment back as it was.
    previous_status TEXT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_approval_requests_state ON approval_requests (state, expires_at);
