package io.puraifi.enginecontrol.eventlog;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.JsonText;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * Accepts engine events: checks each against {@link EventBounds}, stores them (a batch in
 * one transaction) before they are acknowledged, then writes each as a JSON log line for
 * central collection. A batch with one invalid event is refused whole and nothing is
 * stored. Counts accepted and rejected events. Keeps each engine under its cap of stored
 * events ({@link EventCap}).
 */
@Service
public class EventLog {

	private static final Logger events = LoggerFactory.getLogger("engine-control.event");

	private final EventRepository repository;

	private final JsonMapper jsonMapper;

	private final Clock clock;

	private final EventIds ids;

	private final EventBounds bounds;

	private final EventCap cap;

	private final Counter accepted;

	private final Counter rejectedInvalid;

	private final Counter rejectedStore;

	EventLog(EventRepository repository, EventCap cap, JsonMapper jsonMapper, Clock clock,
			EngineControlProperties properties, MeterRegistry meters) {
		this.repository = repository;
		this.cap = cap;
		this.jsonMapper = jsonMapper;
		this.clock = clock;
		this.ids = new EventIds(clock);
		this.bounds = EventBounds.of(properties.events());
		this.accepted = Counter.builder("engine.control.events.accepted")
			.description("Engine events stored")
			.register(meters);
		this.rejectedInvalid = rejected(meters, "invalid");
		this.rejectedStore = rejected(meters, "store_error");
	}

	private static Counter rejected(MeterRegistry meters, String cause) {
		return Counter.builder("engine.control.events.rejected")
			.description("Engine events refused, by cause; a refused batch counts all its events")
			.tag("cause", cause)
			.register(meters);
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
		return store(engineId, requestId, List.of(new NewEvent(level, eventType, message, attributes, occurredAt)),
				false)
			.get(0);
	}

	/**
	 * Stores events in one transaction: all of them or, when one is invalid, none.
	 * @param engineId the authenticated sender
	 * @param requestId the request carrying them
	 * @param batch the events, in the order the sender gave them
	 * @return the stored events, in the same order
	 */
	public List<EngineEvent> recordAll(String engineId, String requestId, List<NewEvent> batch) {
		return store(engineId, requestId, batch, true);
	}

	/**
	 * Stored events newest first.
	 * @param query the filters
	 * @return the events
	 */
	public List<EngineEvent> find(EventRepository.EventQuery query) {
		return this.repository.find(query);
	}

	private List<EngineEvent> store(String engineId, String requestId, List<NewEvent> batch, boolean indexed) {
		Instant now = this.clock.instant();
		List<Map<String, String>> errors = new ArrayList<>();
		List<EngineEvent> stored = new ArrayList<>(batch.size());
		for (int i = 0; i < batch.size(); i++) {
			NewEvent event = batch.get(i);
			String prefix = indexed ? "events[" + i + "]." : "";
			List<Map<String, String>> violations = this.bounds.violations(prefix, event);
			String attributesJson = null;
			if (violations.isEmpty() && event.attributes() != null) {
				attributesJson = JsonText.of(this.jsonMapper, event.attributes());
				violations = this.bounds.jsonViolations(prefix, attributesJson.length());
			}
			errors.addAll(violations);
			stored.add(new EngineEvent(this.ids.next(), engineId, event.level(), event.eventType(), event.message(),
					attributesJson, (event.occurredAt() != null) ? event.occurredAt() : now, now, requestId));
		}
		if (!errors.isEmpty()) {
			this.rejectedInvalid.increment(batch.size());
			throw new ProblemException(ProblemType.INVALID_REQUEST,
					indexed ? "Events are invalid; none was stored" : "The event is invalid", Map.of("errors", errors));
		}
		try {
			if (stored.size() == 1) {
				this.repository.insert(stored.get(0));
			}
			else {
				this.repository.insertAll(stored);
			}
		}
		catch (DataAccessException ex) {
			this.rejectedStore.increment(batch.size());
			throw ex;
		}
		this.accepted.increment(stored.size());
		this.cap.stored(engineId, stored.size());
		for (int i = 0; i < stored.size(); i++) {
			EngineEvent event = stored.get(i);
			events.atInfo()
				.addKeyValue("event_id", event.eventId())
				.addKeyValue("event_level", event.level().value())
				.addKeyValue("event_type", event.eventType())
				.addKeyValue("event_message", event.message())
				.addKeyValue("event_attributes", batch.get(i).attributes())
				.addKeyValue("occurred_at", event.occurredAt().toString())
				.log("engine event");
		}
		return stored;
	}

	/**
	 * An event as an engine submits it.
	 *
	 * @param level severity
	 * @param eventType kind of event
	 * @param message free text, may be null
	 * @param attributes structured details, may be null
	 * @param occurredAt when it happened, null for now
	 */
	public record NewEvent(EventLevel level, String eventType, String message, Map<String, Object> attributes,
			Instant occurredAt) {
	}

}
