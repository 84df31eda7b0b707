-- Issue 3: the rest of an environment, role bindings, people, personal access tokens and the audit trail.
ALTER TABLE environments
    ADD COLUMN cluster        varchar(63)    NOT NULL DEFAULT 'sandbox',
    ADD COLUMN namespace      varchar(63)    NOT NULL DEFAULT '',
    ADD COLUMN owning_team    varchar(100)   NOT NULL DEFAULT 'platform',
    ADD COLUMN cost_centre    varchar(50)    NOT NULL DEFAULT 'shared',
    ADD COLUMN monthly_budget numeric(12, 2) NOT NULL DEFAULT 0,
    ADD COLUMN expires_at     timestamptz    NULL,
    ADD COLUMN labels         text           NOT NULL DEFAULT '{}',
    ADD COLUMN created_by     varchar(200)   NOT NULL DEFAULT 'seed',
    ADD COLUMN status         varchar(32)    NOT NULL DEFAULT 'Ready',
    ADD COLUMN version        integer        NOT NULL DEFAULT 1;
UPDATE environments SET namespace = name WHERE namespace = '';
-- Two environments never share a namespace: one team's Owner must not become another's.
CREATE UNIQUE INDEX ux_environments_cluster_namespace ON environments (cluster, namespace);

CREATE TABLE role_bindings (
    id            uuid         NOT NULL PRIMARY KEY,
    subject_kind  varchar(8)   NOT NULL CHECK (subject_kind IN ('User', 'Group')),
    subject       varchar(200) NOT NULL,
    role          varchar(32)  NOT NULL,
    scope_kind    varchar(16)  NOT NULL CHECK (scope_kind IN ('Environment', 'Tier', 'All')),
    scope_value   varchar(63)  NULL,
    expires_at    timestamptz  NULL,
    created_by    varchar(200) NOT NULL,
    created_at    timestamptz  NOT NULL
);
CREATE INDEX ix_role_bindings_subject ON role_bindings (lower(subject));
CREATE INDEX ix_role_bindings_scope ON role_bindings (scope_kind, scope_value);

CREATE TABLE users (
    user_name        varchar(200) NOT NULL PRIMARY KEY,
    display_name     varchar(200) NOT NULL,
    email            varchar(320) NULL,
    groups           text         NOT NULL DEFAULT '[]',
    source           varchar(16)  NOT NULL,
    password_hash    text         NULL,
    failed_attempts  integer      NOT NULL DEFAULT 0,
    lockout_until    timestamptz  NULL,
    disabled         boolean      NOT NULL DEFAULT false,
    created_at       timestamptz  NOT NULL,
    last_sign_in_at  timestamptz  NULL
);

CREATE TABLE access_tokens (
    id            uuid         NOT NULL PRIMARY KEY,
    user_name     varchar(200) NOT NULL,
    name          varchar(100) NOT NULL,
    hash          char(64)     NOT NULL UNIQUE,
    prefix        varchar(16)  NOT NULL,
    environments  text         NULL,
    created_at    timestamptz  NOT NULL,
    expires_at    timestamptz  NULL,
    revoked_at    timestamptz  NULL,
    last_used_at  timestamptz  NULL
);
CREATE INDEX ix_access_tokens_user ON access_tokens (user_name);

CREATE TABLE audit_records (
    id              uuid         NOT NULL PRIMARY KEY,
    at              timestamptz  NOT NULL,
    actor           varchar(200) NOT NULL,
    channel         varchar(16)  NOT NULL,
    client_address  varchar(64)  NULL,
    environment     varchar(63)  NULL,
    action          varchar(64)  NOT NULL,
    target          varchar(300) NULL,
    parameters      text         NOT NULL,
    outcome         varchar(16)  NOT NULL CHECK (outcome IN ('Succeeded', 'Denied', 'Invalid', 'Failed')),
    reason          text         NULL,
    correlation_id  varchar(64)  NOT NULL
);
CREATE INDEX ix_audit_records_at ON audit_records (at);
CREATE INDEX ix_audit_records_environment_at ON audit_records (environment, at);
CREATE INDEX ix_audit_records_actor_at ON audit_records (actor, at);

-- Append-only: the database itself refuses to change or remove a record.
CREATE FUNCTION portal_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only';
END;
$$;
CREATE TRIGGER audit_records_no_change BEFORE UPDATE OR DELETE ON audit_records
    FOR EACH ROW EXECUTE FUNCTION portal_audit_append_only();
CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
    FOR EACH STATEMENT EXECUTE FUNCTION portal_audit_append_only();
