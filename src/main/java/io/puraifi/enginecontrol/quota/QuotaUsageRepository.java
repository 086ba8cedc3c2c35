package io.puraifi.enginecontrol.quota;

import java.time.Instant;
import java.util.List;

/**
 * The store side of quotas: how many units of each limit replicas have leased in each
 * window. Every method is one short transaction, so a lease is exact however many
 * replicas ask at once.
 */
public interface QuotaUsageRepository {

	/**
	 * Leases units of a limit: in one transaction, with the counter locked (created at 0
	 * when absent), grants {@code min(wanted, max - leased)} (never negative) and adds
	 * the grant to {@code leased}. The leased count never exceeds {@code max}.
	 * @param key the counter
	 * @param max the limit's maximum
	 * @param wanted units wanted, at least 1
	 * @return what was granted and how many units are now leased in the window
	 */
	QuotaLease lease(QuotaUsageKey key, long max, long wanted);

	/**
	 * Gives back units that were leased and never spent, if the window has not ended at
	 * {@code now}. Never takes {@code leased} below zero.
	 * @param key the counter
	 * @param units units to give back, at least 1
	 * @param now the caller's time
	 * @return whether they were given back
	 */
	boolean giveBack(QuotaUsageKey key, long units, Instant now);

	/**
	 * The counters of a rule whose window holds {@code now}.
	 * @param ruleName the rule
	 * @param now the time
	 * @return the counters, by engine, then window length
	 */
	List<QuotaUsage> current(String ruleName, Instant now);

	/**
	 * The counters of a rule for one engine whose window holds {@code now}.
	 * @param ruleName the rule
	 * @param engineId the engine
	 * @param now the time
	 * @return the counters, by window length
	 */
	List<QuotaUsage> current(String ruleName, String engineId, Instant now);

	/**
	 * Deletes counters whose window ended at or before an instant; for a retention job.
	 * @param instant the instant
	 * @return how many were deleted
	 */
	int deleteEndedBefore(Instant instant);

}
