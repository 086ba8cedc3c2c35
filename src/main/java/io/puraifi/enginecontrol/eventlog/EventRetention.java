package io.puraifi.enginecontrol.eventlog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.RetentionJob;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Deletes events received longer ago than {@code engine-control.events.retention}, then
 * the oldest events beyond {@code max-events} in all: in the background, with a fixed
 * delay of {@code retention-interval} between runs, in batches of at most
 * {@code retention-batch-size} rows so that no statement holds locks for long. The total
 * is counted once per run, never on the ingest path.
 */
@Component
class EventRetention extends RetentionJob {

	private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

	private final EventRepository repository;

	private final EventCap cap;

	private final Clock clock;

	private final Duration retention;

	private final long maxEvents;

	private final int batchSize;

	private final Counter deleted;

	@Autowired
	EventRetention(EventRepository repository, EventCap cap, Clock clock, EngineControlProperties properties,
			MeterRegistry meters) {
		this(repository, cap, clock, properties.events(), meters);
	}

	EventRetention(EventRepository repository, EventCap cap, Clock clock, EngineControlProperties.Events settings,
			MeterRegistry meters) {
		super("event-retention", settings.retentionInterval());
		this.repository = repository;
		this.cap = cap;
		this.clock = clock;
		this.retention = settings.retention();
		this.maxEvents = settings.maxEvents();
		this.batchSize = settings.retentionBatchSize();
		this.deleted = EventCap.deletedCounter(meters);
	}

	/**
	 * Deletes every event older than the retention, then the oldest beyond the total
	 * bound, batch by batch.
	 * @return how many were deleted
	 */
	@Override
	protected long purge() {
		Instant cutoff = this.clock.instant().minus(this.retention);
		long expired = 0;
		int batch;
		do {
			batch = this.repository.deleteReceivedBefore(cutoff, this.batchSize);
			expired += batch;
			this.deleted.increment(batch);
		}
		while (batch >= this.batchSize && !stopping());
		long overflow = 0;
		long excess = stopping() ? 0 : this.repository.count() - this.maxEvents;
		while (excess > 0 && !stopping()) {
			batch = this.repository.deleteOldest((int) Math.min(excess, this.batchSize));
			if (batch == 0) {
				break;
			}
			overflow += batch;
			excess -= batch;
			this.deleted.increment(batch);
		}
		if (expired + overflow > 0) {
			// Per-engine counts are now too high; they are counted again when next
			// needed.
			this.cap.forgetCounts();
			log.atInfo()
				.addKeyValue("deleted", expired + overflow)
				.addKeyValue("expired", expired)
				.addKeyValue("over_max_events", overflow)
				.addKeyValue("cutoff", cutoff.toString())
				.log("old events deleted");
		}
		return expired + overflow;
	}

}
