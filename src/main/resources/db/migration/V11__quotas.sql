-- Action quotas. A rule limits how many checks of an action an engine may have allowed in
-- fixed windows aligned to UTC; its limits are rows of quota_limit, one per window length.
create table quota_rule (
    name        varchar(128) primary key,
    engine_id   varchar(64),
    platform    varchar(64)  not null,
    action_type varchar(64)  not null,
    mode        varchar(16)  not null
);

create index quota_rule_by_action on quota_rule (platform, action_type);

create table quota_limit (
    rule_name   varchar(128) not null references quota_rule (name) on delete cascade,
    per_seconds bigint       not null,
    max_units   bigint       not null,
    primary key (rule_name, per_seconds)
);

-- Units leased by replicas per (rule, engine, window length, window). A replica spends only
-- units it leased here, so leased bounds the checks allowed in the window. Rows outlive
-- their rule (a rule deleted and created again in the same window keeps counting) and are
-- deleted once their window has ended.
create table quota_usage (
    rule_name    varchar(128)             not null,
    engine_id    varchar(64)              not null,
    per_seconds  bigint                   not null,
    window_start timestamp with time zone not null,
    window_end   timestamp with time zone not null,
    leased       bigint                   not null,
    primary key (rule_name, engine_id, per_seconds, window_start)
);

create index quota_usage_by_window_end on quota_usage (window_end);
