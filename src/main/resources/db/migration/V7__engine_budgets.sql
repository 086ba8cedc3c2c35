-- Per-engine budget overrides set by the operator. A null column means the configured
-- default (engine-control.budgets.*). Only engines with an override have a row; every row
-- is held in memory by each replica, so a check never reads this table.
create table engine_budget (
    engine_id           varchar(64)              primary key references engine (engine_id) on delete cascade,
    checks_per_second   integer,
    checks_burst        integer,
    events_per_second   integer,
    events_burst        integer,
    validate_per_second integer,
    validate_burst      integer,
    updated_at          timestamp with time zone not null
);
