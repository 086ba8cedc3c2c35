package io.puraifi.enginecontrol.propagation;

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
 * Bounds the change log: deletes entries changed longer ago than
 * {@code change-log-retention} and the oldest beyond {@code change-log-max-entries} (the
 * newest are always kept), in batches, every {@code change-log-retention-interval}.
 * <p>
 * Entries younger than {@code max-staleness} (at least {@link #MIN_KEPT}) are never
 * deleted: a live replica is at most a reconcile interval behind, and one cut off from
 * the store for longer than max-staleness no longer answers from its caches anyway. A
 * replica that falls behind further than the log reaches drops every cached entry when it
 * reconciles ({@link Changes#reconcile()}), so pruning never leaves a stale entry.
 */
@Component
class ChangeLogRetention extends RetentionJob {

	/** Entries younger than this are always kept. */
	static final Duration MIN_KEPT = Duration.ofMinutes(1);

	private static final Logger log = LoggerFactory.getLogger(ChangeLogRetention.class);

	private static final int BATCH = 1_000;

	private final ChangeRepository repository;

	private final Clock clock;

	private final Duration retention;

	private final long maxEntries;

	private final Duration keptFor;

	private final int batchSize;

	private final Counter deleted;

	@Autowired
	ChangeLogRetention(ChangeRepository repository, Clock clock, EngineControlProperties properties,
			MeterRegistry meters) {
		this(repository, clock, properties.propagation(), BATCH, meters);
	}

	ChangeLogRetention(ChangeRepository repository, Clock clock, EngineControlProperties.Propagation settings,
			int batchSize, MeterRegistry meters) {
		super("change-log-retention", settings.changeLogRetentionInterval());
		this.repository = repository;
		this.clock = clock;
		this.retention = settings.changeLogRetention();
		this.maxEntries = settings.changeLogMaxEntries();
		this.keptFor = (settings.maxStaleness().compareTo(MIN_KEPT) > 0) ? settings.maxStaleness() : MIN_KEPT;
		this.batchSize = batchSize;
		this.deleted = Counter.builder("engine.control.change.log.deleted")
			.description("Change log entries deleted by its retention")
			.register(meters);
	}

	/**
	 * Deletes what the bounds no longer keep, batch by batch.
	 * @return how many entries were deleted
	 */
	@Override
	protected long purge() {
		Instant now = this.clock.instant();
		Instant changedBefore = now.minus(this.retention);
		Instant keptAfter = now.minus(this.keptFor);
		// Revisions are consecutive: the newest max-entries are those above this one.
		long belowRevision = this.repository.currentRevision() - this.maxEntries + 1;
		long total = 0;
		int batch;
		do {
			batch = this.repository.deleteOldest(changedBefore, belowRevision, keptAfter, this.batchSize);
			total += batch;
			this.deleted.increment(batch);
		}
		while (batch >= this.batchSize && !stopping());
		if (total > 0) {
			log.atInfo()
				.addKeyValue("deleted", total)
				.addKeyValue("oldest_logged_revision", this.repository.oldestLoggedRevision())
				.log("old change log entries deleted");
		}
		return total;
	}

}
