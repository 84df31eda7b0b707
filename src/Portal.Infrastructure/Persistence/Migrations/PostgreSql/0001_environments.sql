-- Environments: the unit everything in Portal happens in. Issue 2 keeps what the shell's switcher needs.
CREATE TABLE environments (
    name          varchar(63)  NOT NULL PRIMARY KEY,
    display_name  varchar(200) NOT NULL,
    tier          varchar(16)  NOT NULL CHECK (tier IN ('dev', 'test', 'staging', 'prod')),
    created_at    timestamptz  NOT NULL
);
