-- Issue 5: the job engine's records (Quartz keeps its own qrtz_* tables, see docs/adr/0009), four-eyes requests,
-- and each environment's quota.
ALTER TABLE environments
    ADD COLUMN quota_cpu    varchar(32) NOT NULL DEFAULT '',
    ADD COLUMN quota_memory varchar(32) NOT NULL DEFAULT '',
    ADD COLUMN quota_pods   integer     NOT NULL DEFAULT 0;

CREATE TABLE jobs (
    id               uuid         NOT NULL PRIMARY KEY,
    kind             varchar(64)  NOT NULL,
    environment      varchar(63)  NULL,
    requested_by     varchar(200) NOT NULL,
    created_at       timestamptz  NOT NULL,
    state            varchar(16)  NOT NULL CHECK (state IN ('Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled')),
    started_at       timestamptz  NULL,
    finished_at      timestamptz  NULL,
    error            text         NULL,
    cancel_requested boolean      NOT NULL DEFAULT false,
    cancelled_by     varchar(200) NULL,
    worker           varchar(200) NULL
);
CREATE INDEX ix_jobs_created_at ON jobs (created_at);
CREATE INDEX ix_jobs_environment_state ON jobs (environment, state);
-- One unfinished job per environment: two jobs on one namespace would undo each other's work.
CREATE UNIQUE INDEX ux_jobs_environment_unfinished ON jobs (environment) WHERE state IN ('Queued', 'Running');

CREATE TABLE job_steps (
    job_id          uuid         NOT NULL REFERENCES jobs (id),
    step_index      integer      NOT NULL,
    name            varchar(100) NOT NULL,
    state           varchar(16)  NOT NULL CHECK (state IN ('Pending', 'Running', 'Retrying', 'Succeeded', 'Failed', 'Skipped')),
    attempts        integer      NOT NULL DEFAULT 0,
    started_at      timestamptz  NULL,
    finished_at     timestamptz  NULL,
    error           text         NULL,
    next_attempt_at timestamptz  NULL,
    PRIMARY KEY (job_id, step_index)
);

CREATE TABLE job_logs (
    sequence   bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id     uuid         NOT NULL REFERENCES jobs (id),
    step_index integer      NOT NULL,
    at         timestamptz  NOT NULL,
    level      varchar(16)  NOT NULL,
    message    text         NOT NULL
);
CREATE INDEX ix_job_logs_job ON job_logs (job_id, sequence);

CREATE TABLE approval_requests (
    id           uuid         NOT NULL PRIMARY KEY,
    environment  varchar(63)  NOT NULL,
    action       varchar(16)  NOT NULL CHECK (action IN ('Create', 'Destroy')),
    requested_by varchar(200) NOT NULL,
    requested_at timestamptz  NOT NULL,
    expires_at   timestamptz  NOT NULL,
    state        varchar(16)  NOT NULL CHECK (state IN ('Pending', 'Approved', 'Rejected', 'Expired')),
    decided_by   varchar(200) NULL,
    decided_at   timestamptz  NULL,
    comment      text         NULL,
    job_id       uuid         NULL,
    -- A destroy request not approved puts the environment back as it was.
    previous_status varchar(32) NULL,
    version      integer      NOT NULL DEFAULT 1
);
CREATE INDEX ix_approval_requests_state ON approval_requests (state, expires_at);
