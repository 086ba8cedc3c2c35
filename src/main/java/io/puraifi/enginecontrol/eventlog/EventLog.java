package io.puraifi.enginecontrol.eventlog;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Service;

/**
 * Accepts engine events: stores each one before it is acknowledged, then writes it as a
 * JSON log line for central collection.
 */
@Service
public class EventLog {

	private static final Logger events = LoggerFactory.getLogger("engine-control.event");

	private final EventRepository repository;

	private final JsonMapper jsonMapper;

	private final Clock clock;

	EventLog(EventRepository repository, JsonMapper jsonMapper, Clock clock) {
		this.repository = repository;
		this.jsonMapper = jsonMapper;
		this.clock = clock;
	}

	/**
	 * Stores an event.
	 * @param engineId the authenticated sender
	 * @param requestId the request carrying it
	 * @param level severity
	 * @param eventType kind of event
	 * @param message free text, may be null
	 * @param attributes structured details, may be null
	 * @param occurredAt when it happened, null for now
	 * @return the stored event
	 */
	public EngineEvent record(String engineId, String requestId, EventLevel level, String eventType, String message,
			Map<String, Object> attributes, Instant occurredAt) {
		Instant now = this.clock.instant();
		String attributesJson = (attributes != null) ? this.jsonMapper.writeValueAsString(attributes) : null;
		EngineEvent event = new EngineEvent(UUID.randomUUID().toString(), engineId, level, eventType, message,
				attributesJson, (occurredAt != null) ? occurredAt : now, now, requestId);
		this.repository.insert(event);
		events.atInfo()
			.addKeyValue("event_id", event.eventId())
			.addKeyValue("event_level", level.value())
			.addKeyValue("event_type", eventType)
			.addKeyValue("event_message", message)
			.addKeyValue("event_attributes", attributes)
			.addKeyValue("occurred_at", event.occurredAt().toString())
			.log("engine event");
		return event;
	}

}
