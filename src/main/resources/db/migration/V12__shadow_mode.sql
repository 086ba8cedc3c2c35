-- Shadow mode. A kill switch in shadow mode does not deny: a check it would have denied is
-- answered as without it and reports it in "shadow". Existing flags keep enforcing.
alter table feature_flag add column mode varchar(16) default 'enforce' not null;

-- The rules (quota:<name>, flag:<name>) that would have denied a decision, with their
-- reasons: "quota:mailer=QUOTA_EXCEEDED flag:global=FLAG_DISABLED". Null when none. A
-- decision with a shadow entry is stored even when allowed.
alter table decision_record add column shadow varchar(2000);
