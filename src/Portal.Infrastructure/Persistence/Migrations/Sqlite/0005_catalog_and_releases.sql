-- Issue 6: the service catalog (with every version kept), releases, deploy settings per environment, and deploys
-- as a third kind of four-eyes request.
ALTER TABLE environments ADD COLUMN require_deploy_approval INTEGER NOT NULL DEFAULT 0;
ALTER TABLE environments ADD COLUMN auto_rollback           INTEGER NOT NULL DEFAULT 0;
UPDATE environments SET require_deploy_approval = 1 WHERE tier = 'prod';

CREATE TABLE services (
    name        TEXT    NOT NULL PRIMARY KEY,
    owning_team TEXT    NOT NULL,
    definition  TEXT    NOT NULL,
    created_by  TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_by  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE service_revisions (
    service    TEXT    NOT NULL REFERENCES services (name),
    version    INTEGER NOT NULL,
    definition TEXT    NOT NULL,
    changed_by TEXT    NOT NULL,
    changed_at TEXT    NOT NULL,
    changed    TEXT    NOT NULL,
    PRIMARY KEY (service, version)
);

CREATE TABLE releases (
    id             TEXT    NOT NULL PRIMARY KEY,
    service        TEXT    NOT NULL,
    environment    TEXT    NOT NULL,
    number         INTEGER NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('Deploy', 'Rollback', 'Promotion')),
    source         TEXT    NULL,
    spec           TEXT    NOT NULL,
    manifests      TEXT    NOT NULL,
    requested_by   TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    started_at     TEXT    NULL,
    finished_at    TEXT    NULL,
    state          TEXT    NOT NULL CHECK (state IN ('AwaitingApproval', 'Queued', 'Pending', 'RollingOut', 'Succeeded', 'Failed', 'Cancelled', 'Rejected')),
    failure        TEXT    NULL,
    failure_reason TEXT    NULL,
    job_id         TEXT    NULL,
    samples        TEXT    NOT NULL DEFAULT '[]',
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX ux_releases_number ON releases (service, environment, number);
-- One rollout per service and environment at a time, even when two requests race.
CREATE UNIQUE INDEX ux_releases_active ON releases (service, environment) WHERE state IN ('AwaitingApproval', 'Pending', 'RollingOut');
CREATE INDEX ix_releases_environment ON releases (environment, created_at);
CREATE INDEX ix_releases_job ON releases (job_id);

-- Deploys run one per service, several per environment: the one-job-per-environment rule is for the jobs that
-- change the environment itself.
DROP INDEX ux_jobs_environment_unfinished;
CREATE UNIQUE INDEX ux_jobs_environment_unfinished ON jobs (environment) WHERE state IN ('Queued', 'Running') AND kind LIKE 'environment.%';

-- SQLite cannot change a CHECK constraint: the table is rebuilt with Deploy allowed and the release it is for.
CREATE TABLE approval_requests_new (
    id           TEXT    NOT NULL PRIMARY KEY,
    environment  TEXT    NOT NULL,
    action       TEXT    NOT NULL CHECK (action IN ('Create', 'Destroy', 'Deploy')),
    requested_by TEXT    NOT NULL,
    requested_at TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('Pending', 'Approved', 'Rejected', 'Expired')),
    decided_by   TEXT    NULL,
    decided_at   TEXT    NULL,
    comment      TEXT    NULL,
    job_id       TEXT    NULL,
    previous_status TEXT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    release      TEXT    NULL
);
INSERT INTO approval_requests_new (id, environment, action, requested_by, requested_at, expires_at, state, decided_by, decided_at, comment, job_id, previous_status, version)
    SELECT id, environment, action, requested_by, requested_at, expires_at, state, decided_by, decided_at, comment, job_id, previous_status, version FROM approval_requests;
DROP TABLE approval_requests;
ALTER TABLE approval_requests_new RENAME TO approval_requests;
CREATE INDEX ix_approval_requests_state ON approval_requests (state, expires_at);
