package io.puraifi.enginecontrol.eventlog;

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
 * Deletes events received longer ago than {@code engine-control.events.retention}: in the
 * background, with a fixed delay of {@code retention-interval} between runs, in batches
 * of at most {@code retention-batch-size} rows so that no statement holds locks for long.
 * A failed run is logged and retried at the next interval.
 */
@Component
class EventRetention implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

	private final EventRepository repository;

	private final Clock clock;

	private final Duration retention;

	private final Duration interval;

	private final int batchSize;

	private final Counter deleted;

	private volatile boolean running;

	private volatile boolean stopping;

	private ScheduledExecutorService scheduler;

	EventRetention(EventRepository repository, Clock clock, EngineControlProperties properties, MeterRegistry meters) {
		this.repository = repository;
		this.clock = clock;
		this.retention = properties.events().retention();
		this.interval = properties.events().retentionInterval();
		this.batchSize = properties.events().retentionBatchSize();
		this.deleted = Counter.builder("engine.control.events.deleted")
			.description("Engine events deleted by the retention job")
			.register(meters);
	}

	/**
	 * Deletes every event older than the retention, batch by batch.
	 * @return how many were deleted
	 */
	int purge() {
		Instant cutoff = this.clock.instant().minus(this.retention);
		int total = 0;
		int batch;
		do {
			batch = this.repository.deleteReceivedBefore(cutoff, this.batchSize);
			total += batch;
			this.deleted.increment(batch);
		}
		while (batch >= this.batchSize && !this.stopping);
		if (total > 0) {
			log.atInfo()
				.addKeyValue("deleted", total)
				.addKeyValue("cutoff", cutoff.toString())
				.log("old events deleted");
		}
		return total;
	}

	private void run() {
		try {
			purge();
		}
		catch (RuntimeException ex) {
			log.atWarn().log("event retention run failed; retrying at the next interval");
		}
	}

	@Override
	public void start() {
		this.running = true;
		this.stopping = false;
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "event-retention");
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
