package io.puraifi.enginecontrol.quota;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * A {@link QuotaUsageRepository} in memory, for ledger tests: it records every lease and
 * give-back, and can be made unreachable.
 */
class InMemoryQuotaUsageRepository implements QuotaUsageRepository {

	private final Map<QuotaUsageKey, Long> leased = new HashMap<>();

	private final List<Long> wanted = new ArrayList<>();

	private final List<Long> givenBack = new ArrayList<>();

	private boolean away;

	/** Leases of this window length fail with an error that is not an outage. */
	private Duration broken;

	@Override
	public synchronized QuotaLease lease(QuotaUsageKey key, long max, long wanted) {
		failIfAway();
		if (key.per().equals(this.broken)) {
			throw new IllegalStateException("a store error that is not an outage");
		}
		this.wanted.add(wanted);
		long current = this.leased.getOrDefault(key, 0L);
		long granted = Math.max(0, Math.min(wanted, max - current));
		this.leased.put(key, current + granted);
		return new QuotaLease(granted, current + granted);
	}

	@Override
	public synchronized boolean giveBack(QuotaUsageKey key, long units, Instant now) {
		failIfAway();
		long current = this.leased.getOrDefault(key, 0L);
		if (!now.isBefore(key.windowEnd()) || current < units) {
			return false;
		}
		this.givenBack.add(units);
		this.leased.put(key, current - units);
		return true;
	}

	@Override
	public synchronized List<QuotaUsage> current(String ruleName, Instant now) {
		return this.leased.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().ruleName().equals(ruleName) && !now.isBefore(entry.getKey().windowStart())
					&& now.isBefore(entry.getKey().windowEnd()))
			.map((entry) -> new QuotaUsage(ruleName, entry.getKey().engineId(), entry.getKey().per(),
					entry.getKey().windowStart(), entry.getKey().windowEnd(), entry.getValue()))
			.sorted(Comparator.comparing(QuotaUsage::engineId).thenComparing(QuotaUsage::per))
			.toList();
	}

	@Override
	public synchronized List<QuotaUsage> current(String ruleName, String engineId, Instant now) {
		return current(ruleName, now).stream().filter((usage) -> usage.engineId().equals(engineId)).toList();
	}

	@Override
	public synchronized int deleteEndedBefore(Instant instant) {
		failIfAway();
		int before = this.leased.size();
		this.leased.keySet().removeIf((key) -> !key.windowEnd().isAfter(instant));
		return before - this.leased.size();
	}

	synchronized long leased(QuotaUsageKey key) {
		return this.leased.getOrDefault(key, 0L);
	}

	synchronized List<Long> wanted() {
		return List.copyOf(this.wanted);
	}

	synchronized List<Long> givenBack() {
		return List.copyOf(this.givenBack);
	}

	synchronized void breakLeasesOf(Duration per) {
		this.broken = per;
	}

	synchronized void setAway(boolean away) {
		this.away = away;
	}

	private void failIfAway() {
		if (this.away) {
			throw new DataAccessResourceFailureException("store away");
		}
	}

}
