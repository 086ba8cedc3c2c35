package io.puraifi.enginecontrol.quota;

import java.time.Duration;
import java.time.Instant;

/**
 * One counter in the store: a rule's limit, for one engine, in one window.
 *
 * @param ruleName the rule
 * @param engineId the engine whose checks are counted
 * @param per the limit's window length
 * @param windowStart the window's start, aligned as {@link QuotaWindow} says
 */
public record QuotaUsageKey(String ruleName, String engineId, Duration per, Instant windowStart) {

	/**
	 * The counter of a limit for the window that holds {@code now}.
	 * @param rule the rule
	 * @param engineId the engine
	 * @param limit one of the rule's limits
	 * @param now an instant
	 * @return the key
	 */
	public static QuotaUsageKey of(QuotaRule rule, String engineId, QuotaLimit limit, Instant now) {
		return new QuotaUsageKey(rule.name(), engineId, limit.per(), QuotaWindow.of(now, limit.per()).start());
	}

	/**
	 * The first instant after the window.
	 * @return the window's end
	 */
	public Instant windowEnd() {
		return this.windowStart.plus(this.per);
	}

}
