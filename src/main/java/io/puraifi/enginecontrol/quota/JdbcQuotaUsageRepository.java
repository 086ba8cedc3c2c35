package io.puraifi.enginecontrol.quota;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.puraifi.enginecontrol.system.Timestamps;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

@Repository
class JdbcQuotaUsageRepository implements QuotaUsageRepository {

	private static final String SELECT_LEASED_FOR_UPDATE = """
			select leased from quota_usage
			where rule_name = :ruleName and engine_id = :engineId and per_seconds = :perSeconds
			and window_start = :windowStart
			for update""";

	private static final String ADD_LEASED = """
			update quota_usage set leased = leased + :units
			where rule_name = :ruleName and engine_id = :engineId and per_seconds = :perSeconds
			and window_start = :windowStart""";

	private static final String INSERT_USAGE = """
			insert into quota_usage (rule_name, engine_id, per_seconds, window_start, window_end, leased)
			values (:ruleName, :engineId, :perSeconds, :windowStart, :windowEnd, :leased)""";

	private static final String GIVE_BACK = """
			update quota_usage set leased = leased - :units
			where rule_name = :ruleName and engine_id = :engineId and per_seconds = :perSeconds
			and window_start = :windowStart and window_end > :now and leased >= :units""";

	private static final String SELECT_CURRENT = """
			select rule_name, engine_id, per_seconds, window_start, window_end, leased from quota_usage
			where rule_name = :ruleName and window_start <= :now and window_end > :now
			order by engine_id, per_seconds""";

	private static final String SELECT_CURRENT_FOR_ENGINE = """
			select rule_name, engine_id, per_seconds, window_start, window_end, leased from quota_usage
			where rule_name = :ruleName and engine_id = :engineId and window_start <= :now and window_end > :now
			order by per_seconds""";

	private static final String DELETE_ENDED = """
			delete from quota_usage where window_end <= :instant""";

	/**
	 * Rounds of select-then-insert a lease takes at most. The second round always finds
	 * the row another replica inserted first; a third is needed only when retention
	 * deleted the row in between, which happens to an ended window only.
	 */
	private static final int LEASE_ROUNDS = 3;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	JdbcQuotaUsageRepository(JdbcClient jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	@Override
	public QuotaLease lease(QuotaUsageKey key, long max, long wanted) {
		if (wanted < 1) {
			throw new IllegalArgumentException("wanted must be at least 1");
		}
		for (int round = 0; round < LEASE_ROUNDS; round++) {
			QuotaLease lease = this.transactions.execute((status) -> leaseExisting(key, max, wanted));
			if (lease != null) {
				return lease;
			}
			// No row yet: the first lease of the window inserts it with its grant. When
			// another
			// replica inserts the same row first, the insert fails on the primary key, in
			// its own
			// statement outside any transaction, and the next round locks that row.
			long granted = Math.min(wanted, max);
			try {
				param(this.jdbc.sql(INSERT_USAGE), key).param("windowEnd", Timestamps.toColumn(key.windowEnd()))
					.param("leased", granted)
					.update();
				return new QuotaLease(granted, granted);
			}
			catch (DuplicateKeyException ex) {
				// another replica inserted it: lock it in the next round
			}
		}
		throw new IllegalStateException("Quota usage row kept disappearing while leasing");
	}

	private QuotaLease leaseExisting(QuotaUsageKey key, long max, long wanted) {
		Long leased = param(this.jdbc.sql(SELECT_LEASED_FOR_UPDATE), key).query(Long.class).optional().orElse(null);
		if (leased == null) {
			return null;
		}
		long granted = Math.max(0, Math.min(wanted, max - leased));
		if (granted > 0) {
			param(this.jdbc.sql(ADD_LEASED), key).param("units", granted).update();
		}
		return new QuotaLease(granted, leased + granted);
	}

	@Override
	public boolean giveBack(QuotaUsageKey key, long units, Instant now) {
		if (units < 1) {
			throw new IllegalArgumentException("units must be at least 1");
		}
		return param(this.jdbc.sql(GIVE_BACK), key).param("units", units)
			.param("now", Timestamps.toColumn(now))
			.update() == 1;
	}

	@Override
	public List<QuotaUsage> current(String ruleName, Instant now) {
		return this.jdbc.sql(SELECT_CURRENT)
			.param("ruleName", ruleName)
			.param("now", Timestamps.toColumn(now))
			.query((rs, row) -> usage(rs))
			.list();
	}

	@Override
	public List<QuotaUsage> current(String ruleName, String engineId, Instant now) {
		return this.jdbc.sql(SELECT_CURRENT_FOR_ENGINE)
			.param("ruleName", ruleName)
			.param("engineId", engineId)
			.param("now", Timestamps.toColumn(now))
			.query((rs, row) -> usage(rs))
			.list();
	}

	@Override
	public int deleteEndedBefore(Instant instant) {
		return this.jdbc.sql(DELETE_ENDED).param("instant", Timestamps.toColumn(instant)).update();
	}

	private static JdbcClient.StatementSpec param(JdbcClient.StatementSpec statement, QuotaUsageKey key) {
		return statement.param("ruleName", key.ruleName())
			.param("engineId", key.engineId())
			.param("perSeconds", key.per().getSeconds())
			.param("windowStart", Timestamps.toColumn(key.windowStart()));
	}

	private static QuotaUsage usage(ResultSet rs) throws SQLException {
		return new QuotaUsage(rs.getString("rule_name"), rs.getString("engine_id"),
				Duration.ofSeconds(rs.getLong("per_seconds")), Timestamps.fromColumn(rs, "window_start"),
				Timestamps.fromColumn(rs, "window_end"), rs.getLong("leased"));
	}

}
