-- Issue 7: saved log searches, and tokens that may only ship logs to /ingest/_bulk.
CREATE TABLE saved_searches (
    id          uuid         NOT NULL PRIMARY KEY,
    name        varchar(100) NOT NULL,
    owner       varchar(200) NOT NULL,
    shared_with varchar(63)  NULL,
    state       text         NOT NULL,
    created_at  timestamptz  NOT NULL
);
CREATE UNIQUE INDEX ux_saved_searches_owner_name ON saved_searches (lower(owner), name);
CREATE INDEX ix_saved_searches_shared_with ON saved_searches (shared_with);

ALTER TABLE access_tokens ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'Personal' CHECK (kind IN ('Personal', 'Ingest'));
