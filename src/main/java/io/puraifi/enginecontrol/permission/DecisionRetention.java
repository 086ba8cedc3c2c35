package io.puraifi.enginecontrol.permission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.Phases;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the stored decision records bounded: deletes those whose first decision is older
 * than {@code engine-control.decisions.retention}, then the oldest beyond the newest
 * {@code max-records}. In the background, with a fixed delay of
 * {@code retention-interval} between runs, in batches of at most
 * {@code retention-batch-size} rows so that no statement holds locks for long. A failed
 * run is logged and retried at the next interval.
 */
@Component
class DecisionRetention implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DecisionRetention.class);

	private final DecisionRepository repository;

	private final Clock clock;

	private final Duration retention;

	private final long maxRecords;

	private final Duration interval;

	private final int batchSize;

	private final Counter deleted;

	private volatile boolean running;

	private volatile boolean stopping;

	private ScheduledExecutorService scheduler;

	DecisionRetention(DecisionRepository repository, Clock clock, EngineControlProperties properties,
			MeterRegistry meters) {
		this.repository = repository;
		this.clock = clock;
		this.retention = properties.decisions().retention();
		this.maxRecords = properties.decisions().maxRecords();
		this.interval = properties.decisions().retentionInterval();
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
	int purge() {
		Instant cutoff = this.clock.instant().minus(this.retention);
		int byAge = 0;
		int batch;
		do {
			batch = this.repository.deleteDecidedBefore(cutoff, this.batchSize);
			byAge += batch;
			this.deleted.increment(batch);
		}
		while (batch >= this.batchSize && !this.stopping);
		int byCount = 0;
		Long newestBeyond = this.stopping ? null : this.repository.newestBeyond(this.maxRecords);
		if (newestBeyond != null) {
			do {
				batch = this.repository.deleteUpTo(newestBeyond, this.batchSize);
				byCount += batch;
				this.deleted.increment(batch);
			}
			while (batch >= this.batchSize && !this.stopping);
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

	private void run() {
		try {
			purge();
		}
		catch (RuntimeException ex) {
			log.atWarn().log("decision record retention run failed; retrying at the next interval");
		}
	}

	@Override
	public void start() {
		this.running = true;
		this.stopping = false;
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "decision-retention");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		this.scheduler.scheduleWithFixedDelay(this::run, millis, millis, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		this.stopping = true;
		this.running = false;
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
	}

	@Override
	public int getPhase() {
		return Phases.BACKGROUND;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
