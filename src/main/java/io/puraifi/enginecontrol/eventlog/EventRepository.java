package io.puraifi.enginecontrol.eventlog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable store of engine events.
 */
public interface EventRepository {

	void insert(EngineEvent event);

	/**
	 * Stores events in one transaction: all or none.
	 * @param events the events
	 */
	void insertAll(List<EngineEvent> events);

	Optional<EngineEvent> findById(String eventId);

	/**
	 * Events newest first (by {@code received_at}, then {@code event_id}).
	 * @param query filters; null fields do not filter
	 * @return at most {@code query.limit()} events
	 */
	List<EngineEvent> find(EventQuery query);

	/**
	 * Deletes events received before a time, at most {@code limit} of them.
	 * @param cutoff events received before this go
	 * @param limit most events deleted
	 * @return how many were deleted
	 */
	int deleteReceivedBefore(Instant cutoff, int limit);

	/**
	 * How many events are stored.
	 */
	long count();

	/**
	 * How many events an engine sent that are stored.
	 * @param engineId the sender
	 */
	long countByEngine(String engineId);

	/**
	 * Deletes the oldest events (by {@code received_at}, then {@code event_id}).
	 * @param limit most events deleted
	 * @return how many were deleted
	 */
	int deleteOldest(int limit);

	/**
	 * Deletes an engine's oldest events (by {@code received_at}, then {@code event_id}).
	 * @param engineId the sender
	 * @param limit most events deleted
	 * @return how many were deleted
	 */
	int deleteOldestOfEngine(String engineId, int limit);

	/**
	 * Filters for stored events.
	 *
	 * @param engineId only this sender
	 * @param level only this level
	 * @param eventType only this type
	 * @param since only received at or after
	 * @param until only received before
	 * @param after the cursor: only events after this one in newest-first order, or null
	 * @param limit most events
	 */
	record EventQuery(String engineId, EventLevel level, String eventType, Instant since, Instant until, Cursor after,
			int limit) {
	}

	/**
	 * A position in newest-first order.
	 *
	 * @param receivedAt the last event's receipt time
	 * @param eventId the last event's id
	 */
	record Cursor(Instant receivedAt, String eventId) {
	}

}
