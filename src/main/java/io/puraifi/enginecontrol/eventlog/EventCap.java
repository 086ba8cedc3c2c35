package io.puraifi.enginecontrol.eventlog;

import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.system.EngineControlProperties;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Keeps each engine's stored events near {@code engine-control.events.max-per-engine}:
 * the oldest go first, so an engine that floods loses its own history, never another
 * engine's, and its newest events (which explain what it is doing now) are kept.
 * <p>
 * Cheap on the ingest path: this replica keeps an estimate of each engine's count in
 * memory, counted once from the store (an index range on {@code engine_id}) when first
 * needed and then raised by every batch it stores. Only when an estimate passes the cap
 * by a tenth (at least one event) is the engine counted again and its oldest events
 * deleted down to the cap, in the request that crossed it. With several replicas an
 * engine can exceed the cap by about a tenth of it per replica.
 */
@Component
class EventCap {

	private static final Logger log = LoggerFactory.getLogger(EventCap.class);

	private final EventRepository repository;

	private final long maxPerEngine;

	private final long slack;

	private final int batchSize;

	private final Cache<String, AtomicLong> estimates;

	private final Counter deleted;

	@Autowired
	EventCap(EventRepository repository, EngineControlProperties properties, MeterRegistry meters) {
		this(repository, properties.events(), properties.cache().maximumSize(), meters);
	}

	EventCap(EventRepository repository, EngineControlProperties.Events settings, long maxEngines,
			MeterRegistry meters) {
		this.repository = repository;
		this.maxPerEngine = settings.maxPerEngine();
		this.slack = Math.max(1, this.maxPerEngine / 10);
		this.batchSize = settings.retentionBatchSize();
		this.estimates = Caffeine.newBuilder().maximumSize(maxEngines).build();
		this.deleted = deletedCounter(meters);
	}

	static Counter deletedCounter(MeterRegistry meters) {
		return Counter.builder("engine.control.events.deleted")
			.description("Engine events deleted by retention: by age, beyond max-events, beyond max-per-engine")
			.register(meters);
	}

	/**
	 * Notes events an engine has just stored, and deletes its oldest once it is over the
	 * cap. Never fails: the events are stored and acknowledged whatever happens here.
	 * @param engineId the sender
	 * @param count how many it stored
	 */
	void stored(String engineId, int count) {
		try {
			AtomicLong estimate = this.estimates.getIfPresent(engineId);
			long value;
			if (estimate == null) {
				// Counted outside the cache's lock: the count already includes this
				// batch.
				AtomicLong counted = new AtomicLong(this.repository.countByEngine(engineId));
				estimate = this.estimates.asMap().putIfAbsent(engineId, counted);
				if (estimate == null) {
					estimate = counted;
					value = counted.get();
				}
				else {
					value = estimate.addAndGet(count);
				}
			}
			else {
				value = estimate.addAndGet(count);
			}
			if (value > this.maxPerEngine + this.slack) {
				prune(engineId, estimate);
			}
		}
		catch (DataAccessException ex) {
			log.atWarn()
				.addKeyValue("cause", ex.getClass().getSimpleName())
				.log("could not keep the engine's events under max-per-engine; trying again on its next events");
		}
	}

	private void prune(String engineId, AtomicLong estimate) {
		synchronized (estimate) {
			long before = estimate.get();
			if (before <= this.maxPerEngine + this.slack) {
				return;
			}
			long stored = this.repository.countByEngine(engineId);
			long excess = stored - this.maxPerEngine;
			long total = 0;
			while (excess > 0) {
				int batch = this.repository.deleteOldestOfEngine(engineId, (int) Math.min(excess, this.batchSize));
				if (batch == 0) {
					break;
				}
				total += batch;
				excess -= batch;
				this.deleted.increment(batch);
			}
			// Events stored meanwhile by other requests were added to the estimate after
			// it was read: keep them.
			estimate.addAndGet((stored - total) - before);
			log.atInfo()
				.addKeyValue("deleted", total)
				.addKeyValue("max_per_engine", this.maxPerEngine)
				.log("engine over max-per-engine: its oldest events deleted");
		}
	}

	/**
	 * Drops every estimate, after events were deleted by other means.
	 */
	void forgetCounts() {
		this.estimates.invalidateAll();
	}

}
