package io.puraifi.enginecontrol.eventlog;

import java.util.Optional;

/**
 * Durable store of engine events.
 */
public interface EventRepository {

	void insert(EngineEvent event);

	Optional<EngineEvent> findById(String eventId);

}
