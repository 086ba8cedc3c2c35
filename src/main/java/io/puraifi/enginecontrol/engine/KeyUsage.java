package io.puraifi.enginecontrol.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.system.BackgroundScheduler;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.Phases;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * When each key was last used, kept in memory on the request path and written to the
 * store in the background. Authentication thus never writes to the store.
 * <p>
 * A use is noted only when it is at least
 * {@code engine-control.keys.last-used-resolution} after the use this replica noted
 * before it, or found in the store when it loaded the key. The time of the noted use
 * lives with the key in the engine cache ({@link Use}), so a busy key costs one
 * comparison per request and no lookup. Every
 * {@code engine-control.keys.last-used-flush-interval} a flush writes at most
 * {@value #MAX_KEYS_PER_FLUSH} noted uses in one transaction; the others wait for the
 * next flush, oldest first. A row update costs the store far more than a check, so the
 * writes are spread out: at the defaults, a busy key costs one row update per resolution
 * (100,000 keys, about 170 a second), and 100,000 keys used for the first time at once
 * are written over 100 seconds instead of in one burst. The stored {@code last_used_at}
 * is therefore behind by up to one resolution plus the time its turn takes (and, after a
 * crash, loses what was not written). A failed flush keeps its values for the next one;
 * on shutdown every noted use is written.
 */
@Component
class KeyUsage implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(KeyUsage.class);

	/** The most uses one flush writes: one transaction. */
	static final int MAX_KEYS_PER_FLUSH = 1_000;

	private final EngineRepository repository;

	private final Duration interval;

	private final long resolutionMillis;

	/** The noted uses not written yet. */
	private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();

	/**
	 * The keys in {@link #pending}, in the order they entered it, each once: a flush
	 * takes the oldest, so no key waits behind keys noted after it.
	 */
	private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();

	private volatile BackgroundScheduler flusher;

	KeyUsage(EngineRepository repository, EngineControlProperties properties) {
		this.repository = repository;
		this.interval = properties.keys().lastUsedFlushInterval();
		this.resolutionMillis = properties.keys().lastUsedResolution().toMillis();
	}

	/**
	 * A key's noted uses, for the engine cache to hold with the key. It starts from the
	 * use the store has, so that a replica that starts or loads the engine again does not
	 * write what is already written.
	 * @param keyId the key
	 * @param storedLastUse the key's {@code last_used_at} in the store, or null
	 * @return a holder of the key's last noted use
	 */
	Use use(String keyId, Instant storedLastUse) {
		return new Use(keyId, (storedLastUse != null) ? storedLastUse.toEpochMilli() : Use.NEVER);
	}

	/**
	 * Notes a use of a key, unless it is within one resolution of the last use its holder
	 * knows of; costs no I/O, and a use not noted costs one comparison.
	 * @param use the key's holder, from {@link #use}
	 * @param at when it was used
	 */
	void record(Use use, Instant at) {
		long millis = at.toEpochMilli();
		long last = use.notedAt;
		if (last != Use.NEVER && millis - last < this.resolutionMillis) {
			return;
		}
		use.notedAt = millis;
		this.pending.compute(use.keyId, (keyId, noted) -> {
			if (noted == null) {
				this.order.add(keyId);
				return at;
			}
			return later(noted, at);
		});
	}

	private static Instant later(Instant one, Instant other) {
		return other.isAfter(one) ? other : one;
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
	 * Writes the {@value #MAX_KEYS_PER_FLUSH} oldest noted uses (or fewer) to the store.
	 * A key noted again while they were written, or all of them when the write fails,
	 * goes back in line.
	 * @return whether noted uses are left to write
	 */
	boolean flush() {
		Map<String, Instant> batch = new HashMap<>();
		String keyId;
		while (batch.size() < MAX_KEYS_PER_FLUSH && (keyId = this.order.poll()) != null) {
			batch.put(keyId, this.pending.get(keyId));
		}
		if (batch.isEmpty()) {
			return false;
		}
		try {
			this.repository.recordKeyUse(batch);
		}
		catch (RuntimeException ex) {
			this.order.addAll(batch.keySet());
			log.atWarn().setCause(ex).addKeyValue("keys", batch.size()).log("cannot record key use; will retry");
			return false;
		}
		batch.forEach((written, at) -> {
			if (!this.pending.remove(written, at)) {
				this.order.add(written);
			}
		});
		return !this.order.isEmpty();
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
			while (flush()) {
				// until every noted use is written, or the store fails
			}
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

	/**
	 * The last use of one key that this replica noted, or found in the store when it
	 * loaded the key; lives with the key in the engine cache, and goes with it.
	 */
	static final class Use {

		private static final long NEVER = Long.MIN_VALUE;

		private final String keyId;

		/** Epoch milliseconds, or {@link #NEVER}. */
		private volatile long notedAt;

		private Use(String keyId, long notedAt) {
			this.keyId = keyId;
			this.notedAt = notedAt;
		}

	}

}
