-- Engine Control's durable state. Portable SQL: the same file runs on H2 and PostgreSQL.

create table engine (
    engine_id   varchar(64)              primary key,
    description varchar(500),
    role        varchar(16)              not null,
    status      varchar(16)              not null,
    created_at  timestamp with time zone not null,
    updated_at  timestamp with time zone not null
);

-- Only the SHA-256 of a key is stored, never the key itself.
create table engine_key (
    key_id     varchar(36)              primary key,
    engine_id  varchar(64)              not null references engine (engine_id) on delete cascade,
    key_hash   char(64)                 not null unique,
    created_at timestamp with time zone not null
);

create index engine_key_by_engine on engine_key (engine_id);

create table engine_grant (
    engine_id   varchar(64) not null references engine (engine_id) on delete cascade,
    platform    varchar(64) not null,
    action_type varchar(64) not null,
    primary key (engine_id, platform, action_type)
);

create table platform (
    platform       varchar(64)              primary key,
    display_name   varchar(200)             not null,
    version        varchar(32)              not null,
    status         varchar(16)              not null,
    status_message varchar(500),
    updated_at     timestamp with time zone not null
);

-- required_scopes is space separated, like an OAuth scope string.
create table platform_action (
    platform        varchar(64)   not null references platform (platform) on delete cascade,
    action_type     varchar(64)   not null,
    required_scopes varchar(1000) not null,
    primary key (platform, action_type)
);

create table feature_flag (
    name       varchar(128)             primary key,
    enabled    boolean                  not null,
    updated_at timestamp with time zone not null
);

-- Events outlive the engines that sent them: no foreign key on engine_id.
create table engine_event (
    event_id    varchar(36)              primary key,
    engine_id   varchar(64)              not null,
    level       varchar(8)               not null,
    event_type  varchar(64)              not null,
    message     varchar(4096),
    attributes  varchar(65536),
    occurred_at timestamp with time zone not null,
    received_at timestamp with time zone not null,
    request_id  varchar(128)             not null
);

create index engine_event_by_engine on engine_event (engine_id, received_at);
