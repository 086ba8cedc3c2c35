package io.puraifi.enginecontrol.eventlog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.puraifi.enginecontrol.system.Timestamps;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionOperations;

@Repository
class JdbcEventRepository implements EventRepository {

	private static final String INSERT_EVENT = """
			insert into engine_event
			(event_id, engine_id, level, event_type, message, attributes, occurred_at, received_at, request_id)
			values (:eventId, :engineId, :level, :eventType, :message, :attributes, :occurredAt, :receivedAt, :requestId)""";

	private static final String COLUMNS = """
			select event_id, engine_id, level, event_type, message, attributes, occurred_at, received_at, request_id
			from engine_event
			""";

	private static final String SELECT_EVENT = COLUMNS + "where event_id = :eventId";

	private static final String SELECT_EVENTS = COLUMNS + """
			where (cast(:engineId as varchar(64)) is null or engine_id = :engineId)
			  and (cast(:level as varchar(8)) is null or level = :level)
			  and (cast(:eventType as varchar(64)) is null or event_type = :eventType)
			  and (cast(:since as timestamp with time zone) is null or received_at >= :since)
			  and (cast(:until as timestamp with time zone) is null or received_at < :until)
			  and (cast(:cursorAt as timestamp with time zone) is null or received_at < :cursorAt
			       or (received_at = :cursorAt and event_id < :cursorId))
			order by received_at desc, event_id desc
			fetch first :limit rows only""";

	private static final String DELETE_BEFORE = """
			delete from engine_event where event_id in (
			    select event_id from engine_event where received_at < :cutoff fetch first :limit rows only)""";

	private static final String COUNT = """
			select count(*) from engine_event""";

	private static final String COUNT_BY_ENGINE = """
			select count(*) from engine_event where engine_id = :engineId""";

	private static final String DELETE_OLDEST = """
			delete from engine_event where event_id in (
			    select event_id from engine_event order by received_at, event_id fetch first :limit rows only)""";

	private static final String DELETE_OLDEST_OF_ENGINE = """
			delete from engine_event where event_id in (
			    select event_id from engine_event where engine_id = :engineId
			    order by received_at, event_id fetch first :limit rows only)""";

	private final JdbcClient jdbc;

	private final TransactionOperations transactions;

	JdbcEventRepository(JdbcClient jdbc, TransactionOperations transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	@Override
	public void insert(EngineEvent event) {
		this.jdbc.sql(INSERT_EVENT)
			.param("eventId", event.eventId())
			.param("engineId", event.engineId())
			.param("level", event.level().name())
			.param("eventType", event.eventType())
			.param("message", event.message())
			.param("attributes", event.attributesJson())
			.param("occurredAt", Timestamps.toColumn(event.occurredAt()))
			.param("receivedAt", Timestamps.toColumn(event.receivedAt()))
			.param("requestId", event.requestId())
			.update();
	}

	@Override
	public void insertAll(List<EngineEvent> events) {
		this.transactions.executeWithoutResult((status) -> events.forEach(this::insert));
	}

	@Override
	public Optional<EngineEvent> findById(String eventId) {
		return this.jdbc.sql(SELECT_EVENT).param("eventId", eventId).query(JdbcEventRepository::event).optional();
	}

	@Override
	public List<EngineEvent> find(EventQuery query) {
		Cursor after = query.after();
		return this.jdbc.sql(SELECT_EVENTS)
			.param("engineId", query.engineId())
			.param("level", (query.level() != null) ? query.level().name() : null)
			.param("eventType", query.eventType())
			.param("since", Timestamps.toColumn(query.since()))
			.param("until", Timestamps.toColumn(query.until()))
			.param("cursorAt", (after != null) ? Timestamps.toColumn(after.receivedAt()) : null)
			.param("cursorId", (after != null) ? after.eventId() : null)
			.param("limit", query.limit())
			.query(JdbcEventRepository::event)
			.list();
	}

	@Override
	public int deleteReceivedBefore(Instant cutoff, int limit) {
		return this.jdbc.sql(DELETE_BEFORE).param("cutoff", Timestamps.toColumn(cutoff)).param("limit", limit).update();
	}

	@Override
	public long count() {
		return this.jdbc.sql(COUNT).query(Long.class).single();
	}

	@Override
	public long countByEngine(String engineId) {
		return this.jdbc.sql(COUNT_BY_ENGINE).param("engineId", engineId).query(Long.class).single();
	}

	@Override
	public int deleteOldest(int limit) {
		return this.jdbc.sql(DELETE_OLDEST).param("limit", limit).update();
	}

	@Override
	public int deleteOldestOfEngine(String engineId, int limit) {
		return this.jdbc.sql(DELETE_OLDEST_OF_ENGINE).param("engineId", engineId).param("limit", limit).update();
	}

	private static EngineEvent event(ResultSet rs, int row) throws SQLException {
		return new EngineEvent(rs.getString("event_id"), rs.getString("engine_id"),
				EventLevel.valueOf(rs.getString("level")), rs.getString("event_type"), rs.getString("message"),
				rs.getString("attributes"), Timestamps.fromColumn(rs, "occurred_at"),
				Timestamps.fromColumn(rs, "received_at"), rs.getString("request_id"));
	}

}
