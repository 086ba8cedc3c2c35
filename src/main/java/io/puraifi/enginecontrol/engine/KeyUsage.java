package io.puraifi.enginecontrol.engine;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.Phases;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * When each key was last used, kept in memory on the request path and written to the
 * store in the background every {@code engine-control.keys.last-used-flush-interval} and
 * on shutdown. Authentication thus never writes to the store; the stored
 * {@code last_used_at} is approximate by up to one interval (and, after a crash, loses
 * the last interval). A failed flush keeps its values for the next one.
 */
@Component
class KeyUsage implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(KeyUsage.class);

	private final EngineRepository repository;

	private final long intervalMillis;

	private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();

	private volatile ScheduledExecutorService flusher;

	KeyUsage(EngineRepository repository, EngineControlProperties properties) {
		this.repository = repository;
		this.intervalMillis = properties.keys().lastUsedFlushInterval().toMillis();
	}

	/**
	 * Notes a use of a key; costs no I/O.
	 * @param keyId the key
	 * @param at when it was used
	 */
	void record(String keyId, Instant at) {
		this.pending.merge(keyId, at, (old, now) -> now.isAfter(old) ? now : old);
	}

	/**
	 * The last use of a key noted here and not yet written, if any.
	 * @param keyId the key
	 * @return the time, or null
	 */
	Instant pending(String keyId) {
		return this.pending.get(keyId);
	}

	/**
	 * Writes every noted use to the store.
	 */
	void flush() {
		if (this.pending.isEmpty()) {
			return;
		}
		Map<String, Instant> batch = new HashMap<>(this.pending);
		try {
			this.repository.recordKeyUse(batch);
			batch.forEach(this.pending::remove);
		}
		catch (RuntimeException ex) {
			log.atWarn().setCause(ex).addKeyValue("keys", batch.size()).log("cannot record key use; will retry");
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "key-usage-flusher");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::flush, this.intervalMillis, this.intervalMillis, TimeUnit.MILLISECONDS);
		this.flusher = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.flusher;
		this.flusher = null;
		if (executor != null) {
			executor.shutdownNow();
			flush();
		}
	}

	@Override
	public int getPhase() {
		return Phases.BACKGROUND;
	}

	@Override
	public boolean isRunning() {
		return this.flusher != null;
	}

}
