package io.puraifi.enginecontrol.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.system.BackgroundScheduler;
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

	private final Duration interval;

	private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();

	private volatile BackgroundScheduler flusher;

	KeyUsage(EngineRepository repository, EngineControlProperties properties) {
		this.repository = repository;
		this.interval = properties.keys().lastUsedFlushInterval();
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
		BackgroundScheduler scheduler = new BackgroundScheduler("key-usage-flusher");
		scheduler.every(this.interval, this::flush);
		this.flusher = scheduler;
	}

	@Override
	public void stop() {
		BackgroundScheduler scheduler = this.flusher;
		this.flusher = null;
		if (scheduler != null) {
			scheduler.stop();
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
