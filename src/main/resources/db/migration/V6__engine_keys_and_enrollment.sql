-- Key lifecycle: a rotated key expires after an overlap, a revoked key stops at once, and the
-- last use is recorded approximately (flushed from memory in the background).
alter table engine_key add column expires_at timestamp with time zone;
alter table engine_key add column revoked_at timestamp with time zone;
alter table engine_key add column last_used_at timestamp with time zone;

-- Enrollment tokens let an engine register itself within a capability ceiling. Only the
-- SHA-256 of a token is stored. uses_left is decremented in the registration's transaction.
create table enrollment_token (
    token_id    varchar(36)              primary key,
    token_hash  char(64)                 not null unique,
    description varchar(500),
    uses        integer                  not null,
    uses_left   integer                  not null,
    created_at  timestamp with time zone not null,
    expires_at  timestamp with time zone not null,
    revoked_at  timestamp with time zone,
    created_by  varchar(64)              not null
);

create table enrollment_token_grant (
    token_id    varchar(36) not null references enrollment_token (token_id) on delete cascade,
    platform    varchar(64) not null,
    action_type varchar(64) not null,
    primary key (token_id, platform, action_type)
);
