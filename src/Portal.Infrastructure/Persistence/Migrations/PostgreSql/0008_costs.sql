-- Issue 9: what each cluster cost, sampled per slot and kept per hour; team budgets; the budget notices raised.

-- The slots of a cluster that were sampled. Inserting the row claims the slot, so a sample counts once however many
-- replicas take it; a slot without a row is a gap, shown as a gap and never as zero.
CREATE TABLE cost_slots (
    cluster        varchar(100) NOT NULL,
    slot_start     timestamptz  NOT NULL,
    length_seconds integer      NOT NULL CHECK (length_seconds > 0),
    usage_source   varchar(16)  NOT NULL CHECK (usage_source IN ('MetricsApi', 'RequestsOnly')),
    sampled_at     timestamptz  NOT NULL,
    PRIMARY KEY (cluster, slot_start)
);
CREATE INDEX ix_cost_slots_start ON cost_slots (slot_start);

-- One subject's cost in one UTC hour of one cluster; each sample of the hour is added into the row.
-- Money is numeric(24, 12): exact decimal sums, rounded to 10^-12 as on SQLite (INTEGER pico-units there), so both
-- providers store and add the very same figures.
CREATE TABLE cost_records (
    hour                       timestamptz      NOT NULL,
    cluster                    varchar(100)     NOT NULL,
    subject                    varchar(16)      NOT NULL CHECK (subject IN ('Pod', 'Node', 'Volume', 'LoadBalancer', 'Ingress', 'Shared')),
    namespace                  varchar(63)      NOT NULL,
    name                       varchar(253)     NOT NULL,
    service                    varchar(253)     NULL,
    detail                     varchar(253)     NULL,
    hours                      double precision NOT NULL,
    cpu_request_core_hours     double precision NOT NULL,
    cpu_usage_core_hours       double precision NULL,
    cpu_allocated_core_hours   double precision NOT NULL,
    memory_request_gib_hours   double precision NOT NULL,
    memory_usage_gib_hours     double precision NULL,
    memory_allocated_gib_hours double precision NOT NULL,
    quantity                   double precision NOT NULL,
    cpu_price                  numeric(24, 12)  NOT NULL,
    memory_price               numeric(24, 12)  NOT NULL,
    unit_price                 numeric(24, 12)  NOT NULL,
    cpu_cost                   numeric(24, 12)  NOT NULL,
    memory_cost                numeric(24, 12)  NOT NULL,
    other_cost                 numeric(24, 12)  NOT NULL,
    -- The newest slot added into the row: its prices, service and detail are the row's, whatever order samples come in.
    last_slot                  timestamptz      NOT NULL,
    PRIMARY KEY (hour, cluster, subject, namespace, name)
);
-- The key serves a range of hours across the organisation; this one an environment's (a namespace's) hours.
CREATE INDEX ix_cost_records_namespace ON cost_records (namespace, hour);

-- Environment budgets live on environments (monthly_budget); a team's is set on its own.
CREATE TABLE team_budgets (
    team           varchar(100) NOT NULL PRIMARY KEY,
    monthly_budget numeric      NOT NULL,
    updated_by     varchar(200) NOT NULL,
    updated_at     timestamptz  NOT NULL,
    version        integer      NOT NULL DEFAULT 1
);

-- A month's budget crossed 80 or 100 %, actually or by forecast: raised once, which the unique index enforces when
-- two replicas notice at the same moment.
CREATE TABLE budget_notices (
    id                uuid         NOT NULL PRIMARY KEY,
    scope             varchar(16)  NOT NULL CHECK (scope IN ('Environment', 'Team')),
    name              varchar(100) NOT NULL,
    month             char(7)      NOT NULL CHECK (month ~ '^[0-9]{4}-[0-1][0-9]$'),
    threshold_percent integer      NOT NULL,
    basis             varchar(16)  NOT NULL CHECK (basis IN ('Actual', 'Forecast')),
    amount            numeric      NOT NULL,
    budget            numeric      NOT NULL,
    raised_at         timestamptz  NOT NULL
);
CREATE UNIQUE INDEX ux_budget_notices_once ON budget_notices (scope, name, month, threshold_percent, basis);
CREATE INDEX ix_budget_notices_month ON budget_notices (month, raised_at);
