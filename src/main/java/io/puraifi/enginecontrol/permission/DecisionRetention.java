package io.puraifi.enginecontrol.permission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.RetentionJob;

import org.springframework.stereotype.Component;

/**
 * Keeps the stored decision records bounded: deletes those whose first decision is older
 * than {@code engine-control.decisions.retention}, then the oldest beyond the newest
 * {@code max-records}. In the background, with a fixed delay of
 * {@code retention-interval} between runs, in batches of at most
 * {@code retention-batch-size} rows so that no statement holds locks for long.
 */
@Component
class DecisionRetention extends RetentionJob {

	private static final Logger log = LoggerFactory.getLogger(DecisionRetention.class);

	private final DecisionRepository repository;

	private final Clock clock;

	private final Duration retention;

	private final long maxRecords;

	private final int batchSize;

	private final Counter deleted;

	DecisionRetention(DecisionRepository repository, Clock clock, EngineControlProperties properties,
			MeterRegistry meters) {
		super("decision-retention", properties.decisions().retentionInterval());
		this.repository = repository;
		this.clock = clock;
		this.retention = properties.decisions().retention();
		this.maxRecords = properties.decisions().maxRecords();
		this.batchSize = properties.decisions().retentionBatchSize();
		this.deleted = Counter.builder("engine.control.decision.records.deleted")
			.description("Decision records deleted by the retention job")
			.register(meters);
	}

	/**
	 * Deletes every record older than the retention, then the oldest beyond the most
	 * kept, batch by batch.
	 * @return how many were deleted
	 */
	@Override
	protected long purge() {
		Instant cutoff = this.clock.instant().minus(this.retention);
		int byAge = 0;
		int batch;
		do {
			batch = this.repository.deleteDecidedBefore(cutoff, this.batchSize);
			byAge += batch;
			this.deleted.increment(batch);
		}
		while (batch >= this.batchSize && !stopping());
		int byCount = 0;
		Long newestBeyond = stopping() ? null : this.repository.newestBeyond(this.maxRecords);
		if (newestBeyond != null) {
			do {
				batch = this.repository.deleteUpTo(newestBeyond, this.batchSize);
				byCount += batch;
				this.deleted.increment(batch);
			}
			while (batch >= this.batchSize && !stopping());
		}
		if (byAge + byCount > 0) {
			log.atInfo()
				.addKeyValue("deleted_by_age", byAge)
				.addKeyValue("deleted_by_count", byCount)
				.addKeyValue("cutoff", cutoff.toString())
				.log("old decision records deleted");
		}
		return byAge + byCount;
	}

}
