-- ASP.NET Core Data Protection keys, shared by every replica so cookies and antiforgery tokens made by one pod
-- are readable by the others and survive restarts.
CREATE TABLE data_protection_keys (
    friendly_name  varchar(200)  NOT NULL PRIMARY KEY,
    xml            text          NOT NULL,
    created_at     timestamptz   NOT NULL
);
