-- Environments: the unit everything in Portal happens in. Issue 2 keeps what the shell's switcher needs.
CREATE TABLE environments (
    name          TEXT    NOT NULL PRIMARY KEY,
    display_name  TEXT    NOT NULL,
    tier          TEXT    NOT NULL CHECK (tier IN ('dev', 'test', 'staging', 'prod')),
    created_at    TEXT    NOT NULL
);
