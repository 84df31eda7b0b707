-- Issue 9: what each cluster cost, sampled per slot and kept per hour; team budgets; the budget notices raised.

-- The slots of a cluster that were sampled. Inserting the row claims the slot, so a sample counts once however many
-- replicas take it; a slot without a row is a gap, shown as a gap and never as zero.
CREATE TABLE cost_slots (
    cluster        TEXT    NOT NULL,
    slot_start     TEXT    NOT NULL,
    length_seconds INTEGER NOT NULL CHECK (length_seconds > 0),
    usage_source   TEXT    NOT NULL CHECK (usage_source IN ('MetricsApi', 'RequestsOnly')),
    sampled_at     TEXT    NOT NULL,
    PRIMARY KEY (cluster, slot_start)
);
CREATE INDEX ix_cost_slots_start ON cost_slots (slot_start);

-- One subject's cost in one UTC hour of one cluster; each sample of the hour is added into the row.
-- Money (prices and costs) is INTEGER in pico-units, the amount × 10^12. SQLite has no decimal type, and money is
-- added up in SQL twice (the upsert adds each sample, the totals SUM the rows), where TEXT or REAL would turn into
-- binary floating point and 0.1 + 0.2 would not be 0.3. 64-bit integers add exactly; rounding each stored amount to
-- 10^-12 keeps even a month of 150,000 rows within 10^-7 of the exact sum, well inside 10^-6. A row holds up to
-- 9.2 million. PostgreSQL keeps the same figures as numeric(24, 12), so both providers answer alike.
CREATE TABLE cost_records (
    hour                       TEXT    NOT NULL,
    cluster                    TEXT    NOT NULL,
    subject                    TEXT    NOT NULL CHECK (subject IN ('Pod', 'Node', 'Volume', 'LoadBalancer', 'Ingress', 'Shared')),
    namespace                  TEXT    NOT NULL,
    name                       TEXT    NOT NULL,
    service                    TEXT    NULL,
    detail                     TEXT    NULL,
    hours                      REAL    NOT NULL,
    cpu_request_core_hours     REAL    NOT NULL,
    cpu_usage_core_hours       REAL    NULL,
    cpu_allocated_core_hours   REAL    NOT NULL,
    memory_request_gib_hours   REAL    NOT NULL,
    memory_usage_gib_hours     REAL    NULL,
    memory_allocated_gib_hours REAL    NOT NULL,
    quantity                   REAL    NOT NULL,
    cpu_price                  INTEGER NOT NULL,
    memory_price               INTEGER NOT NULL,
    unit_price                 INTEGER NOT NULL,
    cpu_cost                   INTEGER NOT NULL,
    memory_cost                INTEGER NOT NULL,
    other_cost                 INTEGER NOT NULL,
    -- The newest slot added into the row: its prices, service and detail are the row's, whatever order samples come in.
    last_slot                  TEXT    NOT NULL,
    PRIMARY KEY (hour, cluster, subject, namespace, name)
);
-- The key serves a range of hours across the organisation; this one an environment's (a namespace's) hours.
CREATE INDEX ix_cost_records_namespace ON cost_records (namespace, hour);

-- Environment budgets live on environments (monthly_budget); a team's is set on its own.
-- Money here is only stored and read back, never summed in SQL: TEXT keeps EF's decimal text exactly.
CREATE TABLE team_budgets (
    team           TEXT    NOT NULL PRIMARY KEY,
    monthly_budget TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);

-- A month's budget crossed 80 or 100 %, actually or by forecast: raised once, which the unique index enforces when
-- two replicas notice at the same moment.
CREATE TABLE budget_notices (
    id                TEXT    NOT NULL PRIMARY KEY,
    scope             TEXT    NOT NULL CHECK (scope IN ('Environment', 'Team')),
    name              TEXT    NOT NULL,
    month             TEXT    NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    threshold_percent INTEGER NOT NULL,
    basis             TEXT    NOT NULL CHECK (basis IN ('Actual', 'Forecast')),
    amount            TEXT    NOT NULL,
    budget            TEXT    NOT NULL,
    raised_at         TEXT    NOT NULL
);
CREATE UNIQUE INDEX ux_budget_notices_once ON budget_notices (scope, name, month, threshold_percent, basis);
CREATE INDEX ix_budget_notices_month ON budget_notices (month, raised_at);
