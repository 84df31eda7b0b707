-- ASP.NET Core Data Protection keys, shared by every replica so cookies and antiforgery tokens made by one pod
-- are readable by the others and survive restarts.
CREATE TABLE data_protection_keys (
    friendly_name  TEXT  NOT NULL PRIMARY KEY,
    xml            TEXT  NOT NULL,
    created_at     TEXT  NOT NULL
);
