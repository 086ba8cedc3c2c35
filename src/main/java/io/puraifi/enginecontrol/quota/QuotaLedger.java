package io.puraifi.enginecontrol.quota;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.puraifi.enginecontrol.system.StoreErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's side of quotas: the units it has leased from the store and not spent yet,
 * per (rule, engine, limit) and window, so that most checks are answered from memory.
 *
 * <p>
 * <b>Invariant.</b> For every (rule, engine, limit, window): the checks allowed by all
 * replicas &le; the units leased in the store &le; {@code max}. It holds because a check
 * is allowed only by spending a unit from a holding, a holding is filled only by
 * {@link QuotaUsageRepository#lease} (which, with the counter locked, never takes
 * {@code leased} above {@code max}), and a unit goes back to the store only if it was
 * never spent: it is removed from the holding under the holding's lock before it is given
 * back. Units of a window that has ended are dropped, never carried over. Every replica
 * computes the same fixed UTC windows ({@link QuotaWindow}), so no clock is shared beyond
 * the window boundary.
 *
 * <p>
 * <b>Blocks.</b> The first lease of a holding asks for one unit. When a holding runs dry
 * less than {@link #FAST_REFILL} after its previous lease, the next block doubles, up to
 * {@code maxBlock}; after {@code idleAfter} without a lease it is back to one. A block is
 * never more than a quarter of what the store had left ({@code max - leased}) at the
 * previous lease, so several replicas share the tail of a window. A limit the store has
 * found full is answered from memory for {@code exhaustedRecheck}, then asked again (a
 * replica may have given units back).
 *
 * <p>
 * <b>Giving back.</b> Unspent units go back to the store when the rule changes or is
 * deleted ({@link #giveBack(String, Instant)}), when a holding has not been used for
 * {@code idleAfter} ({@link #giveBackIdle(Instant)}, to be called periodically), and on
 * shutdown ({@link #giveBackAll(Instant)}). When the store cannot be reached then, the
 * units stay leased until their window ends: fewer checks are allowed, never more.
 *
 * <p>
 * Thread-safe: each holding has its own lock, taken for one limit at a time; there is no
 * global lock. A check under several limits takes a unit from each in turn and puts the
 * taken units back if one limit has none, so it spends one unit of every limit or none.
 */
public final class QuotaLedger {

	/**
	 * Largest block leased at once by default.
	 */
	public static final int DEFAULT_MAX_BLOCK = 4096;

	/**
	 * How long a holding stays unused, by default, before its units go back.
	 */
	public static final Duration DEFAULT_IDLE_AFTER = Duration.ofSeconds(1);

	/**
	 * How long, by default, a limit the store found full, or a store that could not be
	 * reached, is answered from memory.
	 */
	public static final Duration DEFAULT_EXHAUSTED_RECHECK = Duration.ofMillis(100);

	/**
	 * A holding that runs dry sooner than this after its previous lease leases twice as
	 * many units next time.
	 */
	static final Duration FAST_REFILL = Duration.ofMillis(500);

	/**
	 * A lease asks for at most {@code 1/TAIL_SHARE} of what the store had left.
	 */
	static final int TAIL_SHARE = 4;

	private static final Logger logger = LoggerFactory.getLogger(QuotaLedger.class);

	private static final Comparator<QuotaLimit> LONGEST_WINDOW_FIRST = Comparator.comparing(QuotaLimit::per).reversed();

	private final QuotaUsageRepository store;

	private final int maxBlock;

	private final Duration idleAfter;

	private final Duration exhaustedRecheck;

	private final Map<HoldingKey, Holding> holdings = new ConcurrentHashMap<>();

	private final LongAdder checks = new LongAdder();

	private final LongAdder storeLeases = new LongAdder();

	/**
	 * A ledger with the default block cap, idle time and recheck time.
	 * @param store where units are leased
	 */
	public QuotaLedger(QuotaUsageRepository store) {
		this(store, DEFAULT_MAX_BLOCK, DEFAULT_IDLE_AFTER, DEFAULT_EXHAUSTED_RECHECK);
	}

	/**
	 * A ledger.
	 * @param store where units are leased
	 * @param maxBlock largest block leased at once, at least 1
	 * @param idleAfter how long a holding stays unused before its units go back, positive
	 * @param exhaustedRecheck how long a limit the store found full, or a store that
	 * could not be reached, is answered from memory, not negative
	 */
	public QuotaLedger(QuotaUsageRepository store, int maxBlock, Duration idleAfter, Duration exhaustedRecheck) {
		if (maxBlock < 1) {
			throw new IllegalArgumentException("maxBlock must be at least 1");
		}
		if (idleAfter.isNegative() || idleAfter.isZero()) {
			throw new IllegalArgumentException("idleAfter must be positive");
		}
		if (exhaustedRecheck.isNegative()) {
			throw new IllegalArgumentException("exhaustedRecheck must not be negative");
		}
		this.store = store;
		this.maxBlock = maxBlock;
		this.idleAfter = idleAfter;
		this.exhaustedRecheck = exhaustedRecheck;
	}

	/**
	 * Spends one unit of every limit of a rule on a check, or none.
	 * @param rule the rule, which applies to the check
	 * @param engineId the engine that asks (for a rule of every engine, its own counter)
	 * @param now the check's time
	 * @return allowed with the remaining count; exceeded with the full limit and
	 * {@code retry_after}; or store unavailable
	 */
	public QuotaResult tryAcquire(QuotaRule rule, String engineId, Instant now) {
		Objects.requireNonNull(engineId, "engineId");
		this.checks.increment();
		List<QuotaLimit> limits = rule.limits();
		if (limits.size() > 1) {
			limits = new ArrayList<>(limits);
			limits.sort(LONGEST_WINDOW_FIRST);
		}
		List<Taken> taken = new ArrayList<>(limits.size());
		long remaining = Long.MAX_VALUE;
		try {
			for (QuotaLimit limit : limits) {
				HoldingKey key = new HoldingKey(rule.name(), engineId, limit.per());
				Take take = take(key, limit, now);
				if (take.taken == null) {
					putBack(taken, now);
					return take.result(rule.name(), limit, now);
				}
				taken.add(take.taken);
				remaining = Math.min(remaining, take.remaining);
			}
		}
		catch (RuntimeException ex) {
			// An unexpected store error: the units taken for other limits go back.
			putBack(taken, now);
			throw ex;
		}
		return QuotaResult.allowed(rule.name(), Math.max(0, remaining), taken);
	}

	/**
	 * Puts the units of an allowed check back, as if it had not been checked: for a check
	 * that is denied after all (by another rule, for another reason). Units of a window
	 * that has ended are dropped. A result is put back once at most; again, nothing
	 * happens.
	 * @param allowed a result of {@link #tryAcquire} (others are ignored)
	 * @param now the time
	 */
	public void putBack(QuotaResult allowed, Instant now) {
		putBack(allowed.takeForPutBack(), now);
	}

	/**
	 * Gives back every unspent unit held under a rule; for a rule that changed or was
	 * deleted. The next check under it starts afresh.
	 * @param ruleName the rule's name
	 * @param now the time
	 */
	public void giveBack(String ruleName, Instant now) {
		this.holdings.forEach((key, holding) -> {
			if (key.ruleName().equals(ruleName)) {
				retire(key, holding, now, null);
			}
		});
	}

	/**
	 * Gives back the unspent units of holdings not used for {@code idleAfter}, and
	 * forgets those holdings; call it periodically (every few hundred milliseconds), so a
	 * replica that stopped getting traffic does not keep units others could spend.
	 * @param now the time
	 */
	public void giveBackIdle(Instant now) {
		Instant idleSince = now.minus(this.idleAfter);
		this.holdings.forEach((key, holding) -> retire(key, holding, now, idleSince));
	}

	/**
	 * Gives back every unspent unit; on shutdown.
	 * @param now the time
	 */
	public void giveBackAll(Instant now) {
		this.holdings.forEach((key, holding) -> retire(key, holding, now, null));
	}

	/**
	 * How many checks this ledger answered and how many of them leased from the store.
	 * @return the counts since start
	 */
	public Stats stats() {
		return new Stats(this.checks.sum(), this.storeLeases.sum());
	}

	/**
	 * Units this replica holds unspent for a counter, in its current window; for tests
	 * and for showing an engine its quota.
	 * @param ruleName the rule
	 * @param engineId the engine
	 * @param per the limit's window length
	 * @param now the time
	 * @return units held, 0 when none
	 */
	public long held(String ruleName, String engineId, Duration per, Instant now) {
		Holding holding = this.holdings.get(new HoldingKey(ruleName, engineId, per));
		if (holding == null) {
			return 0;
		}
		synchronized (holding) {
			long windowStart = QuotaWindow.of(now, per).start().getEpochSecond();
			return (!holding.retired && holding.windowStart == windowStart) ? holding.held : 0;
		}
	}

	private Take take(HoldingKey key, QuotaLimit limit, Instant now) {
		while (true) {
			Holding holding = this.holdings.computeIfAbsent(key, (k) -> new Holding());
			synchronized (holding) {
				if (holding.retired) {
					continue;
				}
				return take(key, holding, limit, now);
			}
		}
	}

	private Take take(HoldingKey key, Holding holding, QuotaLimit limit, Instant now) {
		holding.lastUsed = now;
		long windowStart = QuotaWindow.of(now, limit.per()).start().getEpochSecond();
		if (windowStart > holding.windowStart) {
			// a new window: units of the old one are void, nothing to give back
			holding.windowStart = windowStart;
			holding.held = 0;
			holding.knownLeased = 0;
			holding.exhaustedUntil = null;
		}
		// A check whose time falls just before a window another thread already moved to
		// counts in the newer window: never back, so no units are dropped.
		Taken taken = new Taken(key, holding.windowStart);
		if (holding.held > 0) {
			holding.held--;
			return Take.taken(taken, remaining(holding, limit));
		}
		if (holding.exhaustedUntil != null && now.isBefore(holding.exhaustedUntil)) {
			return Take.exceeded(holding.windowStart);
		}
		if (holding.storeAwayUntil != null && now.isBefore(holding.storeAwayUntil)) {
			// checks queued on this holding do not each wait for a store that just failed
			return Take.STORE_UNAVAILABLE;
		}
		long wanted = holding.nextBlock(now, limit.max(), this.maxBlock, this.idleAfter);
		QuotaLease lease;
		try {
			this.storeLeases.increment();
			lease = this.store.lease(storeKey(taken), limit.max(), wanted);
		}
		catch (RuntimeException ex) {
			if (StoreErrors.isOutage(ex)) {
				holding.storeAwayUntil = now.plus(this.exhaustedRecheck);
				return Take.STORE_UNAVAILABLE;
			}
			throw ex;
		}
		holding.storeAwayUntil = null;
		holding.lastLease = now;
		holding.knownLeased = lease.leased();
		if (lease.granted() == 0) {
			holding.exhaustedUntil = now.plus(this.exhaustedRecheck);
			return Take.exceeded(holding.windowStart);
		}
		holding.exhaustedUntil = null;
		holding.held = lease.granted() - 1;
		return Take.taken(taken, remaining(holding, limit));
	}

	private static long remaining(Holding holding, QuotaLimit limit) {
		return Math.max(0, limit.max() - holding.knownLeased + holding.held);
	}

	private void putBack(List<Taken> taken, Instant now) {
		for (Taken unit : taken) {
			Holding holding = this.holdings.get(unit.key());
			if (holding != null) {
				synchronized (holding) {
					if (!holding.retired && holding.windowStart == unit.windowStart()) {
						holding.held++;
						continue;
					}
				}
			}
			// the holding is gone (given back meanwhile): give the unit to the store
			// directly
			giveBackToStore(storeKey(unit), 1, now);
		}
	}

	/**
	 * Retires a holding and gives its unspent units back.
	 * @param idleSince retire only if unused since then; null to retire in any case
	 */
	private void retire(HoldingKey key, Holding holding, Instant now, Instant idleSince) {
		long units;
		long windowStart;
		synchronized (holding) {
			if (holding.retired || (idleSince != null && !isIdle(holding, idleSince))) {
				return;
			}
			holding.retired = true;
			units = holding.held;
			holding.held = 0;
			windowStart = holding.windowStart;
			this.holdings.remove(key, holding);
		}
		// the units left the holding under its lock: no check can spend them any more
		if (units > 0) {
			giveBackToStore(storeKey(new Taken(key, windowStart)), units, now);
		}
	}

	private static boolean isIdle(Holding holding, Instant idleSince) {
		// a holding that was just created has no last use yet: it is about to be used
		return holding.lastUsed != null && !holding.lastUsed.isAfter(idleSince);
	}

	private void giveBackToStore(QuotaUsageKey key, long units, Instant now) {
		if (!now.isBefore(key.windowEnd())) {
			return;
		}
		try {
			this.store.giveBack(key, units, now);
		}
		catch (RuntimeException ex) {
			// the units stay leased until the window ends: fewer checks allowed, never
			// more
			logger.warn("Could not give back {} unspent units of quota rule {} for engine {}: {}", units,
					key.ruleName(), key.engineId(), ex.getClass().getSimpleName());
		}
	}

	private static QuotaUsageKey storeKey(Taken taken) {
		return new QuotaUsageKey(taken.key().ruleName(), taken.key().engineId(), taken.key().per(),
				Instant.ofEpochSecond(taken.windowStart()));
	}

	/**
	 * Counts of a ledger.
	 *
	 * @param checks checks answered
	 * @param storeLeases of those, the ones that leased from the store (or tried to)
	 */
	public record Stats(long checks, long storeLeases) {
	}

	record HoldingKey(String ruleName, String engineId, Duration per) {
	}

	/**
	 * A unit spent on a check, so it can be put back.
	 */
	record Taken(HoldingKey key, long windowStart) {
	}

	/**
	 * Units held for one (rule, engine, limit), guarded by its own monitor.
	 */
	private static final class Holding {

		long windowStart = Long.MIN_VALUE;

		long held;

		/**
		 * The store's leased count at this holding's last lease in its window.
		 */
		long knownLeased;

		Instant exhaustedUntil;

		Instant storeAwayUntil;

		int block = 1;

		Instant lastLease;

		Instant lastUsed;

		boolean retired;

		long nextBlock(Instant now, long max, int maxBlock, Duration idleAfter) {
			if (this.lastLease != null) {
				Duration sinceLease = Duration.between(this.lastLease, now);
				if (sinceLease.compareTo(FAST_REFILL) < 0) {
					this.block = Math.min(this.block * 2, maxBlock);
				}
				else if (sinceLease.compareTo(idleAfter) >= 0) {
					this.block = 1;
				}
			}
			long left = max - this.knownLeased;
			return Math.max(1, Math.min(this.block, left / TAIL_SHARE));
		}

	}

	private static final class Take {

		static final Take STORE_UNAVAILABLE = new Take(null, 0, Long.MIN_VALUE, true);

		final Taken taken;

		final long remaining;

		final long exceededWindowStart;

		final boolean storeUnavailable;

		private Take(Taken taken, long remaining, long exceededWindowStart, boolean storeUnavailable) {
			this.taken = taken;
			this.remaining = remaining;
			this.exceededWindowStart = exceededWindowStart;
			this.storeUnavailable = storeUnavailable;
		}

		static Take taken(Taken taken, long remaining) {
			return new Take(taken, remaining, Long.MIN_VALUE, false);
		}

		static Take exceeded(long windowStart) {
			return new Take(null, 0, windowStart, false);
		}

		QuotaResult result(String rule, QuotaLimit limit, Instant now) {
			if (this.storeUnavailable) {
				return QuotaResult.storeUnavailable(rule, limit);
			}
			Instant windowEnd = Instant.ofEpochSecond(this.exceededWindowStart).plus(limit.per());
			return QuotaResult.exceeded(rule, limit, Duration.between(now, windowEnd));
		}

	}

}
