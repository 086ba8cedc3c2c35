package io.puraifi.enginecontrol.eventlog;

import java.util.Optional;

import io.puraifi.enginecontrol.system.Timestamps;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcEventRepository implements EventRepository {

	private static final String INSERT_EVENT = """
			insert into engine_event
			(event_id, engine_id, level, event_type, message, attributes, occurred_at, received_at, request_id)
			values (:eventId, :engineId, :level, :eventType, :message, :attributes, :occurredAt, :receivedAt, :requestId)""";

	private static final String SELECT_EVENT = """
			select event_id, engine_id, level, event_type, message, attributes, occurred_at, received_at, request_id
			from engine_event where event_id = :eventId""";

	private final JdbcClient jdbc;

	JdbcEventRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
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
	public Optional<EngineEvent> findById(String eventId) {
		return this.jdbc.sql(SELECT_EVENT)
			.param("eventId", eventId)
			.query((rs, row) -> new EngineEvent(rs.getString("event_id"), rs.getString("engine_id"),
					EventLevel.valueOf(rs.getString("level")), rs.getString("event_type"), rs.getString("message"),
					rs.getString("attributes"), Timestamps.fromColumn(rs, "occurred_at"),
					Timestamps.fromColumn(rs, "received_at"), rs.getString("request_id")))
			.optional();
	}

}
