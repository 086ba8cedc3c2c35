package io.puraifi.enginecontrol.engine;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Counts failures per source (a client address, or a calling engine) and per (source,
 * engine id) in fixed windows that start at the first failure, and says when a source or
 * pair has used up its allowance. Both counts live in Caffeine caches bounded by size and
 * expiring with their window, so a flood of made-up ids or addresses costs a bounded
 * amount of memory and constant time per attempt.
 * <p>
 * Only failures are counted, and the pair includes the source: failures from one address
 * never limit an engine that authenticates from another, so an attacker cannot lock a
 * real engine out by hammering its id.
 */
final class FailureLimiter {

	private final int perSource;

	private final int perPair;

	private final long windowNanos;

	private final Ticker ticker;

	private final Cache<String, Window> sources;

	private final Cache<Pair, Window> pairs;

	FailureLimiter(int perSource, int perPair, Duration window, long maxTracked, Ticker ticker) {
		this.perSource = perSource;
		this.perPair = perPair;
		this.windowNanos = window.toNanos();
		this.ticker = ticker;
		this.sources = Caffeine.newBuilder()
			.maximumSize(maxTracked)
			.expireAfter(new WindowExpiry<String>(this.windowNanos))
			.ticker(ticker)
			.recordStats()
			.build();
		this.pairs = Caffeine.newBuilder()
			.maximumSize(maxTracked)
			.expireAfter(new WindowExpiry<Pair>(this.windowNanos))
			.ticker(ticker)
			.recordStats()
			.build();
	}

	/**
	 * How long this attempt must wait, if its source or its (source, engine id) pair has
	 * used up its failures in the current window.
	 * @param source the client address or calling engine
	 * @param engineId the engine id the attempt is about, or null
	 * @return how long until the window ends, or empty when the attempt may go on
	 */
	Optional<Duration> blocked(String source, String engineId) {
		long now = this.ticker.read();
		long wait = remaining(this.sources.getIfPresent(source), this.perSource, now);
		if (engineId != null) {
			wait = Math.max(wait, remaining(this.pairs.getIfPresent(new Pair(source, engineId)), this.perPair, now));
		}
		return (wait > 0) ? Optional.of(Duration.ofNanos(wait)) : Optional.empty();
	}

	/**
	 * Records a failed attempt.
	 * @param source the client address or calling engine
	 * @param engineId the engine id the attempt was about, or null
	 */
	void failed(String source, String engineId) {
		long now = this.ticker.read();
		this.sources.asMap().compute(source, (key, window) -> count(window, now));
		if (engineId != null) {
			this.pairs.asMap().compute(new Pair(source, engineId), (key, window) -> count(window, now));
		}
	}

	/** The sources remembered now. */
	Cache<String, Window> sources() {
		return this.sources;
	}

	/** The (source, engine id) pairs remembered now. */
	Cache<Pair, Window> pairs() {
		return this.pairs;
	}

	private Window count(Window window, long now) {
		if (window == null || now - window.start() >= this.windowNanos) {
			return new Window(now, 1);
		}
		return new Window(window.start(), window.failures() + 1);
	}

	private long remaining(Window window, int limit, long now) {
		if (window == null || window.failures() < limit) {
			return 0;
		}
		return Math.max(0, window.start() + this.windowNanos - now);
	}

	record Window(long start, int failures) {
	}

	record Pair(String source, String engineId) {
	}

	/** An entry lives until its window ends, however often it is counted. */
	private static final class WindowExpiry<K> implements Expiry<K, Window> {

		private final long windowNanos;

		WindowExpiry(long windowNanos) {
			this.windowNanos = windowNanos;
		}

		@Override
		public long expireAfterCreate(K key, Window value, long currentTime) {
			return Math.max(0, value.start() + this.windowNanos - currentTime);
		}

		@Override
		public long expireAfterUpdate(K key, Window value, long currentTime, long currentDuration) {
			return Math.max(0, value.start() + this.windowNanos - currentTime);
		}

		@Override
		public long expireAfterRead(K key, Window value, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
