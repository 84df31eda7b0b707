-- Issue 6: the service catalog (with every version kept), releases, deploy settings per environment, and deploys
-- as a third kind of four-eyes request.
ALTER TABLE environments ADD COLUMN require_deploy_approval boolean NOT NULL DEFAULT false;
ALTER TABLE environments ADD COLUMN auto_rollback           boolean NOT NULL DEFAULT false;
UPDATE environments SET require_deploy_approval = true WHERE tier = 'prod';

CREATE TABLE services (
    name        varchar(63)  NOT NULL PRIMARY KEY,
    owning_team varchar(100) NOT NULL,
    definition  text         NOT NULL,
    created_by  varchar(200) NOT NULL,
    created_at  timestamptz  NOT NULL,
    updated_by  varchar(200) NOT NULL,
    updated_at  timestamptz  NOT NULL,
    version     integer      NOT NULL DEFAULT 1
);

CREATE TABLE service_revisions (
    service    varchar(63)  NOT NULL REFERENCES services (name),
    version    integer      NOT NULL,
    definition text         NOT NULL,
    changed_by varchar(200) NOT NULL,
    changed_at timestamptz  NOT NULL,
    changed    text         NOT NULL,
    PRIMARY KEY (service, version)
);

CREATE TABLE releases (
    id             uuid         NOT NULL PRIMARY KEY,
    service        varchar(63)  NOT NULL,
    environment    varchar(63)  NOT NULL,
    number         integer      NOT NULL,
    kind           varchar(16)  NOT NULL CHECK (kind IN ('Deploy', 'Rollback', 'Promotion')),
    source         uuid         NULL,
    spec           text         NOT NULL,
    manifests      text         NOT NULL,
    requested_by   varchar(200) NOT NULL,
    created_at     timestamptz  NOT NULL,
    started_at     timestamptz  NULL,
    finished_at    timestamptz  NULL,
    state          varchar(32)  NOT NULL CHECK (state IN ('AwaitingApproval', 'Queued', 'Pending', 'RollingOut', 'Succeeded', 'Failed', 'Cancelled', 'Rejected')),
    failure        text         NULL,
    failure_reason varchar(64)  NULL,
    job_id         uuid         NULL,
    samples        text         NOT NULL DEFAULT '[]',
    version        integer      NOT NULL DEFAULT 1
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

ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_action_check;
ALTER TABLE approval_requests ADD CONSTRAINT approval_requests_action_check CHECK (action IN ('Create', 'Destroy', 'Deploy'));
ALTER TABLE approval_requests ADD COLUMN release uuid NULL;
