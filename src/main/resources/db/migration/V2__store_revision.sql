-- A store-wide revision, bumped in the same transaction as every write that can change a
-- decision. Updating the single row serialises writers, so revisions commit in order.
create table store_revision (
    id       integer primary key,
    revision bigint  not null
);

insert into store_revision (id, revision) values (1, 0);

-- What each revision changed, so a replica that missed notifications invalidates exactly that.
create table change_log (
    revision   bigint                   primary key,
    kind       varchar(16)              not null,
    change_key varchar(200)             not null,
    changed_at timestamp with time zone not null
);
