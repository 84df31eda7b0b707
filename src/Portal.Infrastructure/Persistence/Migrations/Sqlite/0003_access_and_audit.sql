-- Issue 3: the rest of an environment, role bindings, people, personal access tokens and the audit trail.
ALTER TABLE environments ADD COLUMN cluster        TEXT    NOT NULL DEFAULT 'sandbox';
ALTER TABLE environments ADD COLUMN namespace      TEXT    NOT NULL DEFAULT '';
ALTER TABLE environments ADD COLUMN owning_team    TEXT    NOT NULL DEFAULT 'platform';
ALTER TABLE environments ADD COLUMN cost_centre    TEXT    NOT NULL DEFAULT 'shared';
ALTER TABLE environments ADD COLUMN monthly_budget NUMERIC NOT NULL DEFAULT 0;
ALTER TABLE environments ADD COLUMN expires_at     TEXT    NULL;
ALTER TABLE environments ADD COLUMN labels         TEXT    NOT NULL DEFAULT '{}';
ALTER TABLE environments ADD COLUMN created_by     TEXT    NOT NULL DEFAULT 'seed';
ALTER TABLE environments ADD COLUMN status         TEXT    NOT NULL DEFAULT 'Ready';
ALTER TABLE environments ADD COLUMN version        INTEGER NOT NULL DEFAULT 1;
UPDATE environments SET namespace = name WHERE namespace = '';
-- Two environments never share a namespace: one team's Owner must not become another's.
CREATE UNIQUE INDEX ux_environments_cluster_namespace ON environments (cluster, namespace);

CREATE TABLE role_bindings (
    id            TEXT NOT NULL PRIMARY KEY,
    subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('User', 'Group')),
    subject       TEXT NOT NULL,
    role          TEXT NOT NULL,
    scope_kind    TEXT NOT NULL CHECK (scope_kind IN ('Environment', 'Tier', 'All')),
    scope_value   TEXT NULL,
    expires_at    TEXT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX ix_role_bindings_subject ON role_bindings (lower(subject));
CREATE INDEX ix_role_bindings_scope ON role_bindings (scope_kind, scope_value);

CREATE TABLE users (
    user_name        TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
    display_name     TEXT    NOT NULL,
    email            TEXT    NULL,
    groups           TEXT    NOT NULL DEFAULT '[]',
    source           TEXT    NOT NULL,
    password_hash    TEXT    NULL,
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    lockout_until    TEXT    NULL,
    disabled         INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT    NOT NULL,
    last_sign_in_at  TEXT    NULL
);

CREATE TABLE access_tokens (
    id            TEXT NOT NULL PRIMARY KEY,
    user_name     TEXT NOT NULL COLLATE NOCASE,
    name          TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    environments  TEXT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NULL,
    revoked_at    TEXT NULL,
    last_used_at  TEXT NULL
);
CREATE INDEX ix_access_tokens_user ON access_tokens (user_name);

CREATE TABLE audit_records (
    id              TEXT NOT NULL PRIMARY KEY,
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    channel         TEXT NOT NULL,
    client_address  TEXT NULL,
    environment     TEXT NULL,
    action          TEXT NOT NULL,
    target          TEXT NULL,
    parameters      TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('Succeeded', 'Denied', 'Invalid', 'Failed')),
    reason          TEXT NULL,
    correlation_id  TEXT NOT NULL
);
CREATE INDEX ix_audit_records_at ON audit_records (at);
CREATE INDEX ix_audit_records_environment_at ON audit_records (environment, at);
CREATE INDEX ix_audit_records_actor_at ON audit_records (actor, at);

-- Append-only: the database itself refuses to change or remove a record.
CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
