package io.puraifi.enginecontrol.quota;

import java.time.Duration;
import java.time.Instant;

/**
 * A counter as the store holds it.
 *
 * @param ruleName the rule
 * @param engineId the engine whose checks are counted
 * @param per the limit's window length
 * @param windowStart the window's start
 * @param windowEnd the window's end
 * @param leased units leased to replicas in the window: the checks allowed in it so far
 * plus the units replicas hold and have not spent yet; an upper bound of the checks
 * allowed
 */
public record QuotaUsage(String ruleName, String engineId, Duration per, Instant windowStart, Instant windowEnd,
		long leased) {
}
