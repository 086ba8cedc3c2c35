package io.puraifi.enginecontrol.quota;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The answer of {@link QuotaLedger#tryAcquire} for one rule.
 */
public final class QuotaResult {

	/**
	 * What the ledger answered.
	 */
	public enum Status {

		/**
		 * A unit of every limit was spent on the check.
		 */
		ALLOWED,

		/**
		 * A limit has no unit left in its window; nothing was spent.
		 */
		QUOTA_EXCEEDED,

		/**
		 * A unit was needed from the store and the store could not be reached; nothing
		 * was spent.
		 */
		STORE_UNAVAILABLE

	}

	private final String rule;

	private final Status status;

	private final long remaining;

	private final QuotaLimit limit;

	private final Duration retryAfter;

	private final List<QuotaLedger.Taken> taken;

	private final AtomicBoolean putBack = new AtomicBoolean();

	private QuotaResult(String rule, Status status, long remaining, QuotaLimit limit, Duration retryAfter,
			List<QuotaLedger.Taken> taken) {
		this.rule = rule;
		this.status = status;
		this.remaining = remaining;
		this.limit = limit;
		this.retryAfter = retryAfter;
		this.taken = taken;
	}

	static QuotaResult allowed(String rule, long remaining, List<QuotaLedger.Taken> taken) {
		return new QuotaResult(rule, Status.ALLOWED, remaining, null, null, List.copyOf(taken));
	}

	static QuotaResult exceeded(String rule, QuotaLimit limit, Duration retryAfter) {
		return new QuotaResult(rule, Status.QUOTA_EXCEEDED, 0, limit, retryAfter, List.of());
	}

	static QuotaResult storeUnavailable(String rule, QuotaLimit limit) {
		return new QuotaResult(rule, Status.STORE_UNAVAILABLE, 0, limit, null, List.of());
	}

	/**
	 * The rule's name.
	 * @return the name
	 */
	public String rule() {
		return this.rule;
	}

	public Status status() {
		return this.status;
	}

	/**
	 * Whether the check was allowed under the rule (and a unit of each limit spent).
	 * @return whether the status is {@link Status#ALLOWED}
	 */
	public boolean allowed() {
		return this.status == Status.ALLOWED;
	}

	/**
	 * For an allowed check, the smallest count of checks still allowed in the current
	 * windows over the rule's limits, as this replica knows it:
	 * {@code max - leased + held} per limit, where {@code leased} is the store's count
	 * when this replica last leased and {@code held} the units this replica holds
	 * unspent. It is exact with one replica; with several it does not see what others
	 * leased since or hold. 0 when not allowed.
	 * @return the remaining count, never negative
	 */
	public long remaining() {
		return this.remaining;
	}

	/**
	 * For a check not allowed, the limit that had no unit (exceeded) or needed the store
	 * (store unavailable); null when allowed.
	 * @return the limit or null
	 */
	public QuotaLimit limit() {
		return this.limit;
	}

	/**
	 * For an exceeded check, how long until the full limit's window ends, when it has
	 * units again. A unit may free earlier if another replica gives back units it did not
	 * spend. Null otherwise.
	 * @return the wait or null
	 */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * {@link #retryAfter()} in whole seconds, rounded up, at least 1; 0 when not
	 * exceeded.
	 * @return seconds
	 */
	public long retryAfterSeconds() {
		if (this.retryAfter == null) {
			return 0;
		}
		long seconds = this.retryAfter.getSeconds() + ((this.retryAfter.getNano() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

	/**
	 * The units spent on the check, the first time they are asked for to be put back;
	 * none after that, so a result put back twice does not create units.
	 */
	List<QuotaLedger.Taken> takeForPutBack() {
		return this.putBack.compareAndSet(false, true) ? this.taken : List.of();
	}

	@Override
	public String toString() {
		return "QuotaResult[rule=" + this.rule + ", status=" + this.status + ", remaining=" + this.remaining
				+ ", limit=" + this.limit + ", retryAfter=" + this.retryAfter + "]";
	}

}
