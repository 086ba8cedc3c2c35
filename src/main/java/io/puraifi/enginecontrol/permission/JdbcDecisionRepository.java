package io.puraifi.enginecontrol.permission;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.puraifi.enginecontrol.system.Timestamps;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionOperations;

@Repository
class JdbcDecisionRepository implements DecisionRepository {

	private static final String INSERT_RECORD = """
			insert into decision_record (request_id, correlation_id, engine_id, subject_engine_id, platform, action_type,
			    status, reason, flag, revision, decided_at, duration_us, count, last_at, shadow)
			values (:requestId, :correlationId, :engineId, :subjectEngineId, :platform, :actionType,
			    :status, :reason, :flag, :revision, :decidedAt, :durationUs, :count, :lastAt, :shadow)""";

	private static final String UPDATE_COUNT = """
			update decision_record set count = :count, last_at = :lastAt where decision_id = :decisionId""";

	private static final String SELECT_RECORDS = """
			select decision_id, request_id, correlation_id, engine_id, subject_engine_id, platform, action_type,
			       status, reason, flag, revision, decided_at, duration_us, count,
			       coalesce(last_at, decided_at) as last_at, shadow
			from decision_record
			where (cast(:engineId as varchar(64)) is null or engine_id = :engineId or subject_engine_id = :engineId)
			  and (cast(:platform as varchar(64)) is null or platform = :platform)
			  and (cast(:reason as varchar(32)) is null or reason = :reason)
			  and (cast(:status as varchar(8)) is null or status = :status)
			  and (cast(:since as timestamp with time zone) is null or decided_at >= :since)
			  and (cast(:until as timestamp with time zone) is null or decided_at < :until)
			  and (cast(:before as bigint) is null or decision_id < :before)
			  and (cast(:shadow as varchar(3)) is null or (:shadow = 'yes' and shadow is not null)
			       or (:shadow = 'no' and shadow is null))
			order by decision_id desc
			fetch first :limit rows only""";

	private static final String DELETE_DECIDED_BEFORE = """
			delete from decision_record where decision_id in (
			    select decision_id from decision_record where decided_at < :cutoff fetch first :limit rows only)""";

	private static final String NEWEST_BEYOND = """
			select decision_id from decision_record order by decision_id desc
			offset :keep rows fetch next 1 rows only""";

	private static final String DELETE_UP_TO = """
			delete from decision_record where decision_id in (
			    select decision_id from decision_record where decision_id <= :decisionId
			    order by decision_id fetch first :limit rows only)""";

	private static final int SHADOW_LENGTH = 2000;

	private final JdbcClient jdbc;

	private final TransactionOperations transactions;

	JdbcDecisionRepository(JdbcClient jdbc, TransactionOperations transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	@Override
	public List<Long> insertAll(List<DecisionRecord> records) {
		return this.transactions.execute((status) -> {
			List<Long> ids = new ArrayList<>(records.size());
			for (DecisionRecord record : records) {
				KeyHolder key = new GeneratedKeyHolder();
				this.jdbc.sql(INSERT_RECORD)
					.param("requestId", fit(record.requestId(), 128, "-"))
					.param("correlationId", fit(record.correlationId(), 128, null))
					.param("engineId", fit(record.engineId(), 64, "-"))
					.param("subjectEngineId", fit(record.subjectEngineId(), 64, "-"))
					.param("platform", fit(record.platform(), 64, "-"))
					.param("actionType", fit(record.actionType(), 64, "-"))
					.param("status", record.status())
					.param("reason", fit(record.reason(), 32, "-"))
					.param("flag", fit(record.flag(), 200, null))
					.param("revision", record.revision())
					.param("decidedAt", Timestamps.toColumn(record.decidedAt()))
					.param("durationUs", record.durationUs())
					.param("count", record.count())
					.param("lastAt",
							Timestamps.toColumn((record.lastAt() != null) ? record.lastAt() : record.decidedAt()))
					.param("shadow", shadowColumn(record.shadow()))
					.update(key, "decision_id");
				ids.add(key.getKeyAs(Long.class));
			}
			return ids;
		});
	}

	@Override
	public void updateCounts(List<CountUpdate> updates) {
		this.transactions.executeWithoutResult((status) -> {
			for (CountUpdate update : updates) {
				this.jdbc.sql(UPDATE_COUNT)
					.param("count", update.count())
					.param("lastAt", Timestamps.toColumn(update.lastAt()))
					.param("decisionId", update.decisionId())
					.update();
			}
		});
	}

	/**
	 * A value that fits its column: records of refused batch items may carry anything the
	 * caller sent.
	 */
	private static String fit(String value, int length, String whenNull) {
		if (value == null) {
			return whenNull;
		}
		return (value.length() <= length) ? value : value.substring(0, length);
	}

	/**
	 * Shadow denials as the column keeps them: {@code rule=REASON} separated by spaces
	 * (rule and flag names hold neither); null when none.
	 */
	static String shadowColumn(List<Decision.ShadowDenial> shadow) {
		if (shadow == null || shadow.isEmpty()) {
			return null;
		}
		StringBuilder text = new StringBuilder();
		for (Decision.ShadowDenial denial : shadow) {
			if (text.length() + denial.rule().length() + denial.reason().name().length() + 2 > SHADOW_LENGTH) {
				break;
			}
			if (!text.isEmpty()) {
				text.append(' ');
			}
			text.append(denial.rule()).append('=').append(denial.reason().name());
		}
		return text.toString();
	}

	static List<Decision.ShadowDenial> shadowOf(String column) {
		if (column == null || column.isEmpty()) {
			return List.of();
		}
		List<Decision.ShadowDenial> shadow = new ArrayList<>();
		for (String entry : column.split(" ")) {
			int equals = entry.lastIndexOf('=');
			if (equals > 0) {
				shadow.add(new Decision.ShadowDenial(entry.substring(0, equals),
						DecisionReason.valueOf(entry.substring(equals + 1))));
			}
		}
		return shadow;
	}

	@Override
	public List<DecisionRecord> find(DecisionQuery query) {
		return this.jdbc.sql(SELECT_RECORDS)
			.param("engineId", query.engineId())
			.param("platform", query.platform())
			.param("reason", query.reason())
			.param("status", query.status())
			.param("since", Timestamps.toColumn(query.since()))
			.param("until", Timestamps.toColumn(query.until()))
			.param("before", query.before())
			.param("shadow", (query.shadow() == null) ? null : (query.shadow() ? "yes" : "no"))
			.param("limit", query.limit())
			.query((rs, row) -> new DecisionRecord(rs.getLong("decision_id"), rs.getString("request_id"),
					rs.getString("correlation_id"), rs.getString("engine_id"), rs.getString("subject_engine_id"),
					rs.getString("platform"), rs.getString("action_type"), rs.getString("status"),
					rs.getString("reason"), rs.getString("flag"), rs.getObject("revision", Long.class),
					Timestamps.fromColumn(rs, "decided_at"), rs.getLong("duration_us"), rs.getLong("count"),
					Timestamps.fromColumn(rs, "last_at"), shadowOf(rs.getString("shadow"))))
			.list();
	}

	@Override
	public int deleteDecidedBefore(Instant cutoff, int limit) {
		return this.jdbc.sql(DELETE_DECIDED_BEFORE)
			.param("cutoff", Timestamps.toColumn(cutoff))
			.param("limit", limit)
			.update();
	}

	@Override
	public Long newestBeyond(long keep) {
		return this.jdbc.sql(NEWEST_BEYOND).param("keep", keep).query(Long.class).optional().orElse(null);
	}

	@Override
	public int deleteUpTo(long decisionId, int limit) {
		return this.jdbc.sql(DELETE_UP_TO).param("decisionId", decisionId).param("limit", limit).update();
	}

}
