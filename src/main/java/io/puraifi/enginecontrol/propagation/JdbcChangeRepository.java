package io.puraifi.enginecontrol.propagation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.puraifi.enginecontrol.system.Timestamps;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcChangeRepository implements ChangeRepository {

	/** PostgreSQL notification channel shared by all replicas. */
	static final String CHANNEL = "engine_control_changes";

	private static final String BUMP_REVISION = """
			update store_revision set revision = revision + 1 where id = 1""";

	private static final String SELECT_REVISION = """
			select revision from store_revision where id = 1""";

	private static final String INSERT_CHANGE = """
			insert into change_log (revision, kind, change_key, changed_at)
			values (:revision, :kind, :key, :changedAt)""";

	private static final String SELECT_CHANGES_AFTER = """
			select revision, kind, change_key from change_log
			where revision > :revision order by revision fetch first :limit rows only""";

	private static final String SELECT_OLDEST = """
			select coalesce(min(revision), 0) from change_log""";

	private static final String DELETE_OLDEST = """
			delete from change_log where revision in (
			    select revision from change_log
			    where (changed_at < :changedBefore or revision < :belowRevision) and changed_at < :keptAfter
			    order by revision fetch first :limit rows only)""";

	private static final String NOTIFY = """
			select pg_notify(:channel, :payload)""";

	private final JdbcClient jdbc;

	private final Clock clock;

	private final boolean postgres;

	JdbcChangeRepository(JdbcClient jdbc, Clock clock, StoreDialect dialect) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.postgres = dialect.isPostgres();
	}

	@Override
	public Change append(ChangeKind kind, String key) {
		this.jdbc.sql(BUMP_REVISION).update();
		long revision = currentRevision();
		this.jdbc.sql(INSERT_CHANGE)
			.param("revision", revision)
			.param("kind", kind.name())
			.param("key", key)
			.param("changedAt", Timestamps.toColumn(this.clock.instant()))
			.update();
		Change change = new Change(revision, kind, key);
		if (this.postgres) {
			this.jdbc.sql(NOTIFY).param("channel", CHANNEL).param("payload", change.toPayload()).query().singleRow();
		}
		return change;
	}

	@Override
	public long currentRevision() {
		return this.jdbc.sql(SELECT_REVISION).query(Long.class).single();
	}

	@Override
	public List<Change> changesAfter(long revision, int limit) {
		return this.jdbc.sql(SELECT_CHANGES_AFTER)
			.param("revision", revision)
			.param("limit", limit)
			.query((rs, row) -> new Change(rs.getLong("revision"), ChangeKind.valueOf(rs.getString("kind")),
					rs.getString("change_key")))
			.list();
	}

	@Override
	public long oldestLoggedRevision() {
		return this.jdbc.sql(SELECT_OLDEST).query(Long.class).single();
	}

	@Override
	public int deleteOldest(Instant changedBefore, long belowRevision, Instant keptAfter, int limit) {
		return this.jdbc.sql(DELETE_OLDEST)
			.param("changedBefore", Timestamps.toColumn(changedBefore))
			.param("belowRevision", belowRevision)
			.param("keptAfter", Timestamps.toColumn(keptAfter))
			.param("limit", limit)
			.update();
	}

}
