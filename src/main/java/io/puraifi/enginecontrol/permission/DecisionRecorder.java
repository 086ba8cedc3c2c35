package io.puraifi.enginecontrol.permission;

import java.time.Clock;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
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

import io.puraifi.enginecontrol.permission.DecisionRepository.CountUpdate;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.Phases;
import io.puraifi.enginecontrol.system.StoreErrors;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

/**
 * Writes the record of every decision, and counts it. Each decision becomes one JSON log
 * line on {@code engine-control.decision}, synchronously, and moves the decision counter
 * and the check latency timer. Denied decisions, errors and every decision of the
 * operator (allowed ones too when {@code persist-allowed} is set), and allowed ones that
 * a shadow rule would have denied, are also queued for the store: a bounded queue drained
 * by one writer thread in batches, so no check waits for a database write. A record that
 * cannot be written (log disabled or failing, queue full, store failing) is counted in
 * {@code engine_control_decision_records_dropped_total} and logged as an error, never
 * dropped silently. On shutdown the queue is flushed.
 * <p>
 * Identical denials and errors (same caller, subject, platform, action, status, reason
 * and flag) within {@code aggregation-window} of the first are one stored record: the
 * first is queued as a record, later ones only increment its count in memory (a lock-free
 * map lookup and a compare-and-set on the request thread, contended only by the same kind
 * of decision), and the writer thread writes the counts every
 * {@code aggregation-flush-interval}, and a last time when the window ends. So a crash
 * loses at most the counts of the last interval. At most {@code aggregation-max-open}
 * aggregates are open; beyond it, decisions of a new kind are stored one by one.
 * <p>
 * A batch the store refuses for a reason other than an outage (one row it cannot hold) is
 * written again row by row, so one bad row never drops the others; each refused row is
 * counted ({@code cause="rejected"}) and logged once, without its values.
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

	private final BlockingQueue<Pending> queue;

	private final Duration aggregationWindow;

	private final int aggregationMaxOpen;

	private final long flushIntervalNanos;

	// The aggregates decisions can join, by kind: read and written by request threads.
	private final ConcurrentHashMap<Key, Pending> open = new ConcurrentHashMap<>();

	// Aggregates whose first record is stored and whose window has not been closed yet:
	// the writer thread's own list.
	private final List<Pending> written = new ArrayList<>();

	private final Counter rejected;

	private long nextCountFlush = System.nanoTime();

	// Guards the writer's state (written, and the counts it has written): the writer
	// thread and a flush on shutdown, should the writer not have ended in time. Request
	// threads never take it.
	private final Object writerLock = new Object();

	private final Timer latency;

	private final Timer latencySummary;

	private final Counter stored;

	private final AtomicLong dropsSinceLastLog = new AtomicLong();

	private final ConcurrentHashMap<String, Counter> shadowCounters = new ConcurrentHashMap<>();

	// One counter per known platform (or "unknown"), result and reason, a bounded set,
	// found by three lookups of strings whose hashes are cached, rather than built and
	// looked up in the registry on every check: a (result, reason, platform) record as
	// the key costs its hashCode and equals, and an allocation, per check.
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
		this.aggregationWindow = properties.decisions().aggregationWindow();
		this.aggregationMaxOpen = properties.decisions().aggregationMaxOpen();
		this.flushIntervalNanos = properties.decisions().aggregationFlushInterval().toNanos();
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
		this.rejected = dropped("store", "rejected");
		Gauge.builder("engine.control.decision.records.queued", this.queue, BlockingQueue::size)
			.description("Decision records waiting for the store writer")
			.register(meters);
		Gauge.builder("engine.control.decision.records.open", this.open, ConcurrentHashMap::size)
			.description("Aggregated decision records whose window is open")
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
			for (Decision.ShadowDenial denial : record.shadow()) {
				shadowCounter(denial.rule()).increment();
			}
		}
		catch (RuntimeException ex) {
			log.atError().setCause(ex).log("decision metrics failed");
		}
		writeLogLine(record);
		boolean allowed = DecisionRecord.ALLOWED.equals(record.status());
		// Allowed checks a shadow rule would have denied are stored, and aggregated like
		// denials: a shadow rule on a busy path must not fill the writer's queue.
		if ((!allowed || !record.shadow().isEmpty()) && !this.aggregationWindow.isZero() && fitsAKey(record)) {
			aggregate(record);
		}
		else if (operator || !allowed || this.persistAllowed || !record.shadow().isEmpty()) {
			enqueue(new Pending(record, null, null));
		}
	}

	/**
	 * Whether the values that make the kind of a decision are short enough to be kept in
	 * memory for a window: no longer than their columns. A refused batch item may carry
	 * anything its caller sent; such a record is stored on its own, cut to fit.
	 */
	private static boolean fitsAKey(DecisionRecord record) {
		return fits(record.engineId(), 64) && fits(record.subjectEngineId(), 64) && fits(record.platform(), 64)
				&& fits(record.actionType(), 64) && fits(record.reason(), 32) && fits(record.flag(), 200)
				&& fits(record.correlationId(), 128);
	}

	private static boolean fits(String value, int length) {
		return value == null || value.length() <= length;
	}

	/**
	 * Joins the open aggregate of this kind of decision, or opens one whose first record
	 * is queued. No store access and no lock: a map lookup and a compare-and-set.
	 */
	private void aggregate(DecisionRecord record) {
		Instant now = record.decidedAt();
		Key key = new Key(record.engineId(), record.subjectEngineId(), record.platform(), record.actionType(),
				record.status(), record.reason(), record.flag(), record.shadow());
		for (int attempt = 0; attempt < 3; attempt++) {
			Pending current = this.open.get(key);
			if (current != null && now.isBefore(current.windowEnd) && current.join(now)) {
				return;
			}
			if (current == null && this.open.size() >= this.aggregationMaxOpen) {
				break;
			}
			Pending fresh = new Pending(record, key, now.plus(this.aggregationWindow));
			boolean opened = (current != null) ? this.open.replace(key, current, fresh)
					: this.open.putIfAbsent(key, fresh) == null;
			if (opened) {
				enqueue(fresh);
				return;
			}
		}
		enqueue(new Pending(record, null, null));
	}

	private void enqueue(Pending pending) {
		if (!this.queue.offer(pending)) {
			long lost = 1;
			if (pending.key != null) {
				lost = pending.close();
				this.open.remove(pending.key, pending);
			}
			drop("store", "queue_full", lost);
		}
	}

	/**
	 * The count of checks a shadow rule would have denied; rule names are made by the
	 * operator, so the tags are bounded.
	 */
	private Counter shadowCounter(String rule) {
		Counter counter = this.shadowCounters.get(rule);
		if (counter == null) {
			counter = this.shadowCounters.computeIfAbsent(rule,
					(key) -> Counter.builder("engine.control.shadow.denials")
						.description("Checks a rule in shadow mode would have denied, by rule")
						.tag("rule", rule)
						.register(this.meters));
		}
		return counter;
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
			if (!Objects.equals(record.subjectEngineId(), record.engineId())) {
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
			if (!record.shadow().isEmpty()) {
				line = line.addKeyValue("shadow", JdbcDecisionRepository.shadowColumn(record.shadow()));
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

	private void drop(String sink, String cause, long count) {
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
			List<Pending> batch = new ArrayList<>(this.writeBatchSize);
			try {
				long wait = Math.max(1, Math.min(TimeUnit.MILLISECONDS.toNanos(200), this.flushIntervalNanos));
				Pending first = this.running ? this.queue.poll(wait, TimeUnit.NANOSECONDS) : this.queue.poll();
				if (first != null) {
					batch.add(first);
					this.queue.drainTo(batch, this.writeBatchSize - 1);
					synchronized (this.writerLock) {
						write(batch);
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.running = false;
				continue;
			}
			catch (RuntimeException ex) {
				log.atError().setCause(ex).log("decision record writer failed");
			}
			if (System.nanoTime() - this.nextCountFlush >= 0) {
				this.nextCountFlush = System.nanoTime() + this.flushIntervalNanos;
				try {
					synchronized (this.writerLock) {
						writeCounts(false);
					}
				}
				catch (RuntimeException ex) {
					log.atError().setCause(ex).log("decision record writer failed");
				}
			}
		}
	}

	private void write(List<Pending> batch) {
		List<DecisionRecord> records = new ArrayList<>(batch.size());
		for (Pending pending : batch) {
			records.add(pending.first);
		}
		try {
			stored(batch, this.repository.insertAll(records));
			return;
		}
		catch (RuntimeException ex) {
			if (StoreErrors.isOutage(ex) || batch.size() == 1) {
				refused(batch, ex);
				return;
			}
		}
		// Not an outage: a row the store cannot hold. Write the rows one by one.
		for (int i = 0; i < batch.size(); i++) {
			Pending pending = batch.get(i);
			try {
				stored(List.of(pending), this.repository.insertAll(List.of(pending.first)));
			}
			catch (RuntimeException ex) {
				if (StoreErrors.isOutage(ex)) {
					refused(batch.subList(i, batch.size()), ex);
					return;
				}
				refused(List.of(pending), ex);
			}
		}
	}

	private void stored(List<Pending> batch, List<Long> ids) {
		this.stored.increment(batch.size());
		for (int i = 0; i < batch.size(); i++) {
			Pending pending = batch.get(i);
			if (pending.key != null) {
				pending.decisionId = ids.get(i);
				this.written.add(pending);
			}
		}
	}

	/**
	 * Records the store did not take: as an outage (cause {@code error}), or, for one
	 * record, as refused (cause {@code rejected}, logged once, without values).
	 */
	private void refused(List<Pending> batch, RuntimeException ex) {
		long lost = 0;
		for (Pending pending : batch) {
			lost += (pending.key != null) ? closeOpen(pending) : 1;
		}
		if (batch.size() == 1 && !StoreErrors.isOutage(ex)) {
			DecisionRecord record = batch.get(0).first;
			this.rejected.increment(lost);
			log.atError()
				.addKeyValue("request_id", record.requestId())
				.addKeyValue("engine_id", record.engineId())
				.addKeyValue("status", record.status())
				.addKeyValue("reason", record.reason())
				.addKeyValue("count", lost)
				.addKeyValue("sql_state", sqlState(ex))
				.log("decision record refused by the store");
			return;
		}
		drop("store", "error", lost);
	}

	private long closeOpen(Pending pending) {
		long count = pending.close();
		this.open.remove(pending.key, pending);
		return count;
	}

	private static String sqlState(RuntimeException ex) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		return (cause instanceof SQLException sql && sql.getSQLState() != null) ? sql.getSQLState() : "-";
	}

	/**
	 * Writes the counts of stored aggregates that moved since they were last written, and
	 * closes those whose window has ended (all of them when {@code closeAll}).
	 */
	private void writeCounts(boolean closeAll) {
		if (this.written.isEmpty()) {
			return;
		}
		Instant now = this.clock.instant();
		List<Pending> changed = new ArrayList<>();
		List<CountUpdate> updates = new ArrayList<>();
		List<Pending> ended = new ArrayList<>();
		for (Iterator<Pending> it = this.written.iterator(); it.hasNext();) {
			Pending pending = it.next();
			boolean ends = closeAll || !now.isBefore(pending.windowEnd);
			long count = ends ? closeOpen(pending) : pending.count.get();
			Instant lastAt = pending.lastAt;
			if (ends) {
				it.remove();
				ended.add(pending);
			}
			if (count != pending.writtenCount || !lastAt.equals(pending.writtenLastAt)) {
				changed.add(pending);
				updates.add(new CountUpdate(pending.decisionId, count, lastAt));
			}
		}
		if (updates.isEmpty()) {
			return;
		}
		try {
			this.repository.updateCounts(updates);
			counted(changed, updates);
			return;
		}
		catch (RuntimeException ex) {
			if (StoreErrors.isOutage(ex) || updates.size() == 1) {
				countsNotWritten(changed, updates, ended, ex);
				return;
			}
		}
		for (int i = 0; i < updates.size(); i++) {
			try {
				this.repository.updateCounts(List.of(updates.get(i)));
				counted(List.of(changed.get(i)), List.of(updates.get(i)));
			}
			catch (RuntimeException ex) {
				if (StoreErrors.isOutage(ex)) {
					countsNotWritten(changed.subList(i, changed.size()), updates.subList(i, updates.size()), ended, ex);
					return;
				}
				countsNotWritten(List.of(changed.get(i)), List.of(updates.get(i)), ended, ex);
			}
		}
	}

	private void counted(List<Pending> changed, List<CountUpdate> updates) {
		for (int i = 0; i < changed.size(); i++) {
			changed.get(i).writtenCount = updates.get(i).count();
			changed.get(i).writtenLastAt = updates.get(i).lastAt();
		}
	}

	/**
	 * Counts not written. Those of an open aggregate are written at the next interval
	 * after an outage; those of an ended one, or refused, are dropped and counted.
	 */
	private void countsNotWritten(List<Pending> changed, List<CountUpdate> updates, List<Pending> ended,
			RuntimeException ex) {
		boolean outage = StoreErrors.isOutage(ex);
		for (int i = 0; i < changed.size(); i++) {
			Pending pending = changed.get(i);
			if (outage && !ended.contains(pending)) {
				continue;
			}
			long lost = updates.get(i).count() - pending.writtenCount;
			if (!outage) {
				if (!ended.contains(pending)) {
					closeOpen(pending);
					this.written.remove(pending);
				}
				this.rejected.increment(lost);
				log.atError()
					.addKeyValue("request_id", pending.first.requestId())
					.addKeyValue("engine_id", pending.first.engineId())
					.addKeyValue("count", lost)
					.addKeyValue("sql_state", sqlState(ex))
					.log("decision record count refused by the store");
			}
			else {
				drop("store", "error", lost);
			}
		}
	}

	/**
	 * Writes what is queued now, and the counts of aggregates (closing those whose window
	 * has ended). For tests and shutdown.
	 */
	void flush() {
		flush(false);
	}

	private void flush(boolean closeAll) {
		synchronized (this.writerLock) {
			List<Pending> batch = new ArrayList<>();
			while (this.queue.drainTo(batch, this.writeBatchSize) > 0) {
				write(batch);
				batch = new ArrayList<>();
			}
			writeCounts(closeAll);
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
		flush(true);
	}

	@Override
	public int getPhase() {
		return Phases.BACKGROUND;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * What makes two decisions identical for aggregation.
	 */
	private record Key(String engineId, String subjectEngineId, String platform, String actionType, String status,
			String reason, String flag, List<Decision.ShadowDenial> shadow) {
	}

	/**
	 * A record waiting for the store; with a key, also the open aggregate of its kind.
	 */
	private static final class Pending {

		private static final long CLOSED = -1;

		final DecisionRecord first;

		final Key key;

		final Instant windowEnd;

		// How many decisions joined, the first included; CLOSED once the writer has
		// taken the final count.
		final AtomicLong count = new AtomicLong(1);

		volatile Instant lastAt;

		// Written by the writer thread only.
		long decisionId;

		long writtenCount = 1;

		Instant writtenLastAt;

		Pending(DecisionRecord first, Key key, Instant windowEnd) {
			this.first = first;
			this.key = key;
			this.windowEnd = windowEnd;
			this.lastAt = first.decidedAt();
			this.writtenLastAt = first.decidedAt();
		}

		/**
		 * Counts one more decision, unless the aggregate is closed.
		 */
		boolean join(Instant at) {
			if (at.isAfter(this.lastAt)) {
				this.lastAt = at;
			}
			long current;
			do {
				current = this.count.get();
				if (current == CLOSED) {
					return false;
				}
			}
			while (!this.count.compareAndSet(current, current + 1));
			return true;
		}

		/**
		 * Closes the aggregate: no decision joins it any more.
		 * @return the final count
		 */
		long close() {
			long last = this.count.getAndSet(CLOSED);
			return (last == CLOSED) ? 0 : last;
		}

	}

}
