package io.puraifi.enginecontrol.eventlog;

import java.time.Instant;

/**
 * An event an engine submitted, as stored.
 *
 * @param eventId id assigned on receipt
 * @param engineId the authenticated engine that sent it
 * @param level severity
 * @param eventType the engine's name for the kind of event
 * @param message free text
 * @param attributesJson the attributes as a JSON object, or null
 * @param occurredAt when the engine says it happened
 * @param receivedAt when Engine Control stored it
 * @param requestId the request that carried it
 */
public record EngineEvent(String eventId, String engineId, EventLevel level, String eventType, String message,
		String attributesJson, Instant occurredAt, Instant receivedAt, String requestId) {
}
