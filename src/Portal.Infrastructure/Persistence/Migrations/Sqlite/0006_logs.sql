-- Issue 7: saved log searches, and tokens that may only ship logs to /ingest/_bulk.
CREATE TABLE saved_searches (
    id          TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    owner       TEXT NOT NULL,
    shared_with TEXT NULL,
    state       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_saved_searches_owner_name ON saved_searches (lower(owner), name);
CREATE INDEX ix_saved_searches_shared_with ON saved_searches (shared_with);

ALTER TABLE access_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'Personal' CHECK (kind IN ('Personal', 'Ingest'));
