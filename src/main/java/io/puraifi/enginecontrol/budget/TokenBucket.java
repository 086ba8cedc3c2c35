package io.puraifi.enginecontrol.budget;

/**
 * A token bucket: it holds at most {@code burst} tokens and refills continuously at
 * {@code perSecond}. Tokens are counted in billionths, so that a refill after any number
 * of nanoseconds is exact. Thread-safe; taking tokens allocates nothing, and a bucket is
 * two numbers and its rate, so that 100,000 engines' buckets stay small.
 */
final class TokenBucket {

	/** Billionths of a token per token, and nanoseconds per second. */
	private static final long SCALE = 1_000_000_000L;

	private final Budget.Rate rate;

	/** Billionths of a token. */
	private long available;

	/** When {@link #available} was last brought up to date, in ticker nanoseconds. */
	private long updatedAt;

	/**
	 * A full bucket.
	 * @param rate the refill rate and the most tokens held
	 * @param now the ticker's time now, in nanoseconds
	 */
	TokenBucket(Budget.Rate rate, long now) {
		this.rate = rate;
		this.available = rate.burst() * SCALE;
		this.updatedAt = now;
	}

	/**
	 * Takes tokens if the bucket holds them all; takes none otherwise.
	 * @param tokens how many
	 * @param now the ticker's time now, in nanoseconds
	 * @return whether they were taken
	 */
	synchronized boolean tryTake(int tokens, long now) {
		refill(now);
		long wanted = tokens * SCALE;
		if (this.available < wanted) {
			return false;
		}
		this.available -= wanted;
		return true;
	}

	/**
	 * How long until the bucket holds this many tokens, if nothing else takes any.
	 * @param tokens how many, at most the burst
	 * @param now the ticker's time now, in nanoseconds
	 * @return nanoseconds, 0 when it holds them now
	 */
	synchronized long nanosUntil(int tokens, long now) {
		refill(now);
		long missing = tokens * SCALE - this.available;
		// perSecond billionths of a token come in every nanosecond.
		return (missing <= 0) ? 0 : ceilDiv(missing, this.rate.perSecond());
	}

	/**
	 * The whole tokens the bucket holds.
	 * @param now the ticker's time now, in nanoseconds
	 * @return the tokens
	 */
	synchronized long available(long now) {
		refill(now);
		return this.available / SCALE;
	}

	private void refill(long now) {
		long elapsed = now - this.updatedAt;
		if (elapsed <= 0) {
			return;
		}
		this.updatedAt = now;
		long capacity = this.rate.burst() * SCALE;
		long room = capacity - this.available;
		// Compared before multiplying: a long idle time times the rate could overflow.
		if (elapsed >= ceilDiv(room, this.rate.perSecond())) {
			this.available = capacity;
		}
		else {
			this.available += elapsed * this.rate.perSecond();
		}
	}

	/** Math.ceilDiv, which Java 17 lacks, for a non-negative dividend. */
	private static long ceilDiv(long dividend, long divisor) {
		return (dividend + divisor - 1) / divisor;
	}

}
