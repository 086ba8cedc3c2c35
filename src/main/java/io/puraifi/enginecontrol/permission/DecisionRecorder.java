package io.puraifi.enginecontrol.permission;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.Phases;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Writes the record of every decision, and counts it. Each decision becomes one JSON log
 * line on {@code engine-control.decision}, synchronously, and moves the decision counter
 * and the check latency timer. Denied decisions, errors and every decision of the
 * operator (allowed ones too when {@code persist-allowed} is set) are also queued for the
 * store: a bounded queue drained by one writer thread in batches, so no check waits for a
 * database write. A record that cannot be written (log disabled or failing, queue full,
 * store failing) is counted in {@code engine_control_decision_records_dropped_total} and
 * logged as an error, never dropped silently. On shutdown the queue is flushed.
 */
@Component
class DecisionRecorder implements SmartLifecycle {

	private static final Logger decisions = LoggerFactory.getLogger("engine-control.decision");

	private static final Logger log = LoggerFactory.getLogger(DecisionRecorder.class);

	private static final long DROP_LOG_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

	private final DecisionRepository repository;

	private final MeterRegistry meters;

	private final Clock clock;

	private final boolean persistAllowed;

	private final int writeBatchSize;

	private final BlockingQueue<DecisionRecord> queue;

	private final Timer latency;

	private final Timer latencySummary;

	private final Counter stored;

	private final AtomicLong dropsSinceLastLog = new AtomicLong();

	// One counter per known platform (or "unknown"), result and reason, a bounded set,
	// found by three lookups of strings whose hashes are cached, rather than built and
	// looked up in the registry on every check. A (result, reason, platform) record as
	// the key was 2% of a check's CPU samples in its hashCode and equals, plus an
	// allocation per check.
	private final ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String, Counter>>> decisionCounters = new ConcurrentHashMap<>();

	private volatile long lastDropLog = System.nanoTime() - DROP_LOG_INTERVAL_NANOS;

	private volatile boolean running;

	private Thread writer;

	DecisionRecorder(DecisionRepository repository, MeterRegistry meters, Clock clock,
			EngineControlProperties properties) {
		this.repository = repository;
		this.meters = meters;
		this.clock = clock;
		this.persistAllowed = properties.decisions().persistAllowed();
		this.writeBatchSize = properties.decisions().writeBatchSize();
		this.queue = new ArrayBlockingQueue<>(properties.decisions().queueCapacity());
		this.latency = Timer.builder("engine.control.check.duration")
			.description("Time to decide one permission check")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofNanos(10_000))
			.maximumExpectedValue(Duration.ofSeconds(5))
			.register(meters);
		// Prometheus cannot serve one name as both histogram and summary: the buckets
		// above aggregate across replicas (histogram_quantile), this one gives each
		// replica's own p50, p95 and p99 over the last minute or so.
		this.latencySummary = Timer.builder("engine.control.check.latency")
			.description("Time to decide one permission check, as this replica's percentiles")
			.publishPercentiles(0.5, 0.95, 0.99)
			.register(meters);
		this.stored = Counter.builder("engine.control.decision.records.stored")
			.description("Decision records written to the store")
			.register(meters);
		for (String sink : List.of("log", "store")) {
			dropped(sink, "error");
		}
		dropped("store", "queue_full");
		Gauge.builder("engine.control.decision.records.queued", this.queue, BlockingQueue::size)
			.description("Decision records waiting for the store writer")
			.register(meters);
	}

	/**
	 * Records one decision.
	 * @param decision the decision, without its time: it is stamped here
	 * @param operator whether the caller is the operator principal
	 * @param platformLabel the platform when the catalog has it, else {@code unknown}
	 * @param elapsedNanos how long the decision took
	 */
	void record(DecisionRecord decision, boolean operator, String platformLabel, long elapsedNanos) {
		DecisionRecord record = decision.decidedAt(this.clock.instant());
		try {
			this.latency.record(elapsedNanos, TimeUnit.NANOSECONDS);
			this.latencySummary.record(elapsedNanos, TimeUnit.NANOSECONDS);
			decisionCounter(record.status(), record.reason(), platformLabel).increment();
		}
		catch (RuntimeException ex) {
			log.atError().setCause(ex).log("decision metrics failed");
		}
		writeLogLine(record);
		if (operator || !DecisionRecord.ALLOWED.equals(record.status()) || this.persistAllowed) {
			if (!this.queue.offer(record)) {
				drop("store", "queue_full", 1);
			}
		}
	}

	private Counter decisionCounter(String result, String reason, String platform) {
		ConcurrentHashMap<String, ConcurrentHashMap<String, Counter>> byResult = this.decisionCounters.get(platform);
		if (byResult == null) {
			byResult = this.decisionCounters.computeIfAbsent(platform, (key) -> new ConcurrentHashMap<>());
		}
		ConcurrentHashMap<String, Counter> byReason = byResult.get(result);
		if (byReason == null) {
			byReason = byResult.computeIfAbsent(result, (key) -> new ConcurrentHashMap<>());
		}
		Counter counter = byReason.get(reason);
		if (counter == null) {
			counter = byReason.computeIfAbsent(reason,
					(key) -> Counter.builder("engine.control.decisions")
						.description("Permission decisions by result, reason and platform")
						.tag("result", result)
						.tag("reason", reason)
						.tag("platform", platform)
						.register(this.meters));
		}
		return counter;
	}

	private void writeLogLine(DecisionRecord record) {
		if (!decisions.isInfoEnabled()) {
			drop("log", "disabled", 1);
			return;
		}
		try {
			LoggingEventBuilder line = decisions.atInfo();
			if (!record.subjectEngineId().equals(record.engineId())) {
				line = line.addKeyValue("subject_engine_id", record.subjectEngineId());
			}
			if (record.correlationId() != null) {
				line = line.addKeyValue("correlation_id", record.correlationId());
			}
			line = line.addKeyValue("platform", record.platform())
				.addKeyValue("action_type", record.actionType())
				.addKeyValue("status", record.status())
				.addKeyValue("duration_us", record.durationUs())
				.addKeyValue("reason", record.reason());
			if (record.flag() != null) {
				line = line.addKeyValue("flag", record.flag());
			}
			if (record.revision() != null) {
				line = line.addKeyValue("revision", record.revision());
			}
			line.log("decision");
		}
		catch (RuntimeException ex) {
			drop("log", "error", 1);
		}
	}

	private Counter dropped(String sink, String cause) {
		return Counter.builder("engine.control.decision.records.dropped")
			.description("Decision records that could not be written, by sink and cause")
			.tag("sink", sink)
			.tag("cause", cause)
			.register(this.meters);
	}

	private void drop(String sink, String cause, int count) {
		dropped(sink, cause).increment(count);
		long pending = this.dropsSinceLastLog.addAndGet(count);
		long now = System.nanoTime();
		if (now - this.lastDropLog >= DROP_LOG_INTERVAL_NANOS) {
			this.lastDropLog = now;
			this.dropsSinceLastLog.addAndGet(-pending);
			log.atError()
				.addKeyValue("sink", sink)
				.addKeyValue("cause", cause)
				.addKeyValue("dropped", pending)
				.log("decision records dropped");
		}
	}

	private void drain() {
		while (this.running || !this.queue.isEmpty()) {
			List<DecisionRecord> batch = new ArrayList<>(this.writeBatchSize);
			try {
				DecisionRecord first = this.running ? this.queue.poll(200, TimeUnit.MILLISECONDS) : this.queue.poll();
				if (first == null) {
					continue;
				}
				batch.add(first);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.running = false;
				continue;
			}
			this.queue.drainTo(batch, this.writeBatchSize - 1);
			write(batch);
		}
	}

	private void write(List<DecisionRecord> batch) {
		try {
			this.repository.insertAll(batch);
			this.stored.increment(batch.size());
		}
		catch (RuntimeException ex) {
			drop("store", "error", batch.size());
		}
	}

	/**
	 * Writes what is queued now. For tests and shutdown.
	 */
	void flush() {
		List<DecisionRecord> batch = new ArrayList<>();
		while (this.queue.drainTo(batch, this.writeBatchSize) > 0) {
			write(batch);
			batch = new ArrayList<>();
		}
	}

	@Override
	public void start() {
		this.running = true;
		this.writer = new Thread(this::drain, "decision-record-writer");
		this.writer.setDaemon(true);
		this.writer.start();
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.writer != null) {
			try {
				this.writer.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		flush();
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
