package io.puraifi.enginecontrol.audit;

import java.time.Instant;
import java.util.List;

import io.puraifi.enginecontrol.system.Timestamps;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcAuditRepository implements AuditRepository {

	private static final String INSERT_ENTRY = """
			insert into admin_audit (occurred_at, actor, action, target_type, target_id, before_json, after_json, request_id)
			values (:occurredAt, :actor, :action, :targetType, :targetId, :before, :after, :requestId)""";

	private static final String SELECT_ENTRIES = """
			select audit_id, occurred_at, actor, action, target_type, target_id, before_json, after_json, request_id
			from admin_audit
			where (cast(:actor as varchar(64)) is null or actor = :actor)
			  and (cast(:targetType as varchar(32)) is null or target_type = :targetType)
			  and (cast(:targetId as varchar(200)) is null or target_id = :targetId)
			  and (cast(:since as timestamp with time zone) is null or occurred_at >= :since)
			  and (cast(:until as timestamp with time zone) is null or occurred_at < :until)
			  and (cast(:before as bigint) is null or audit_id < :before)
			order by audit_id desc
			fetch first :limit rows only""";

	private static final String DELETE_BEFORE = """
			delete from admin_audit where audit_id in (
			    select audit_id from admin_audit where occurred_at < :cutoff
			    order by audit_id fetch first :limit rows only)""";

	private final JdbcClient jdbc;

	JdbcAuditRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(AuditEntry entry) {
		this.jdbc.sql(INSERT_ENTRY)
			.param("occurredAt", Timestamps.toColumn(entry.occurredAt()))
			.param("actor", entry.actor())
			.param("action", entry.action())
			.param("targetType", entry.targetType())
			.param("targetId", entry.targetId())
			.param("before", entry.before())
			.param("after", entry.after())
			.param("requestId", entry.requestId())
			.update();
	}

	@Override
	public List<AuditEntry> find(AuditQuery query) {
		return this.jdbc.sql(SELECT_ENTRIES)
			.param("actor", query.actor())
			.param("targetType", query.targetType())
			.param("targetId", query.targetId())
			.param("since", Timestamps.toColumn(query.since()))
			.param("until", Timestamps.toColumn(query.until()))
			.param("before", query.before())
			.param("limit", query.limit())
			.query((rs, row) -> new AuditEntry(rs.getLong("audit_id"), Timestamps.fromColumn(rs, "occurred_at"),
					rs.getString("actor"), rs.getString("action"), rs.getString("target_type"),
					rs.getString("target_id"), rs.getString("before_json"), rs.getString("after_json"),
					rs.getString("request_id")))
			.list();
	}

	@Override
	public int deleteOccurredBefore(Instant cutoff, int limit) {
		return this.jdbc.sql(DELETE_BEFORE).param("cutoff", Timestamps.toColumn(cutoff)).param("limit", limit).update();
	}

}
