-- Identical denials (and errors) within engine-control.decisions.aggregation-window are one
-- record: decided_at is the first of them, last_at the last, count how many. last_at is
-- null on records written before this column (read as decided_at), so adding it rewrites
-- no rows.
alter table decision_record add column count bigint default 1 not null;
alter table decision_record add column last_at timestamp with time zone;
