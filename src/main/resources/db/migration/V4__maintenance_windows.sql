-- Scheduled maintenance windows. A window is in effect while starts_at <= now < ends_at and
-- it is not cancelled; decisions evaluate that at check time, so nothing runs when one
-- starts or ends. Cancelled and ended windows are kept as history.
create table maintenance_window (
    window_id    varchar(36)              primary key,
    platform     varchar(64)              not null references platform (platform) on delete cascade,
    starts_at    timestamp with time zone not null,
    ends_at      timestamp with time zone not null,
    message      varchar(500),
    created_at   timestamp with time zone not null,
    cancelled_at timestamp with time zone
);

create index maintenance_window_by_platform on maintenance_window (platform, ends_at);
