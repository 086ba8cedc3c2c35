package io.puraifi.enginecontrol.budget;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.audit.AuditTrail;
import io.puraifi.enginecontrol.engine.AuthenticatedEngine;
import io.puraifi.enginecontrol.engine.Engine;
import io.puraifi.enginecontrol.engine.EngineRegistry;
import io.puraifi.enginecontrol.engine.EngineRole;
import io.puraifi.enginecontrol.engine.EngineSlot;
import io.puraifi.enginecontrol.propagation.ChangeKind;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Per-engine request budgets. Each engine has a token bucket per {@link BudgetKind}, held
 * by this replica in a bounded cache; a request takes one token per check, event or
 * validation it carries, and is refused whole with {@code budget-exceeded} (429, with
 * {@code Retry-After}) when the bucket lacks them. The operator is exempt.
 * <p>
 * {@link #charge} is on the check path: one {@link TokenBucket#tryTake} and no store
 * access. This class's cache is the record of every engine's buckets; the engine's
 * {@link EngineSlot} (held with the engine in the registry's cache) holds the same
 * buckets, so that a check finds them without a lookup, until the cache drops them. The
 * operator's overrides are few (one row per overridden engine) and all held in memory; a
 * change to one, on any replica, arrives through {@link Changes}
 * ({@link ChangeKind#BUDGET}) and drops that engine's buckets, which start again full
 * under the new budget.
 */
@Component
public class EngineBudgets {

	private static final Logger log = LoggerFactory.getLogger(EngineBudgets.class);

	/**
	 * At most one log line per engine in this period; the metric counts every refusal.
	 */
	private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final EngineControlProperties.Budgets defaults;

	private final BudgetRepository repository;

	private final EngineRegistry engines;

	private final Changes changes;

	private final AuditTrail audit;

	private final Clock clock;

	private final Ticker ticker;

	/** The budget of every engine without an override: one copy for all. */
	private final Budget defaultBudget;

	private final Cache<String, Buckets> buckets;

	/** Kept in a field so that a lookup allocates no lambda. */
	private final Function<String, Buckets> newBuckets = this::newBuckets;

	private final Map<BudgetKind, Counter> refused = new EnumMap<>(BudgetKind.class);

	/** Every override, by engine id; replaced whole, never changed in place. */
	private volatile Map<String, BudgetOverride> overrides;

	@Autowired
	EngineBudgets(BudgetRepository repository, EngineRegistry engines, Changes changes, AuditTrail audit, Clock clock,
			EngineControlProperties properties, MeterRegistry meterRegistry) {
		this(repository, engines, changes, audit, clock, properties.budgets(), meterRegistry, Ticker.systemTicker());
	}

	EngineBudgets(BudgetRepository repository, EngineRegistry engines, Changes changes, AuditTrail audit, Clock clock,
			EngineControlProperties.Budgets defaults, MeterRegistry meterRegistry, Ticker ticker) {
		this.defaults = defaults;
		this.repository = repository;
		this.engines = engines;
		this.changes = changes;
		this.audit = audit;
		this.clock = clock;
		this.ticker = ticker;
		this.defaultBudget = Budget.of(defaults, BudgetSettings.NONE);
		// Removals are marked on the removing thread, so that a slot stops using the
		// buckets as soon as this cache has dropped them.
		this.buckets = Caffeine.newBuilder()
			.maximumSize(defaults.maxTracked())
			.executor(Runnable::run)
			.removalListener((String engineId, Buckets removed, RemovalCause cause) -> removed.dropped = true)
			.recordStats()
			.build();
		CaffeineCacheMetrics.monitor(meterRegistry, this.buckets, "budget_buckets");
		for (BudgetKind kind : BudgetKind.values()) {
			this.refused.put(kind,
					Counter.builder("engine.control.budget.refused")
						.description("Requests refused because the calling engine was over its budget")
						.tag("budget", kind.label())
						.register(meterRegistry));
		}
		this.overrides = Map.copyOf(repository.findAll());
		changes.subscribe(ChangeKind.BUDGET, this::reload, this::reloadAll);
		// An engine deleted takes its override with it (on delete cascade); one
		// registered again under the same id must not inherit it.
		// A full invalidation runs every subscriber's: the BUDGET one above reloads all.
		changes.subscribe(ChangeKind.ENGINE, this::engineChanged, () -> {
		});
	}

	/**
	 * Takes tokens from the caller's bucket, or refuses the request.
	 * @param caller the authenticated engine; the operator is never charged
	 * @param kind which budget
	 * @param tokens how many checks, events or validations the request carries
	 * @throws ProblemException {@code budget-exceeded} (429, with {@code Retry-After})
	 * when the bucket lacks the tokens; none are taken then
	 */
	public void charge(AuthenticatedEngine caller, BudgetKind kind, int tokens) {
		if (!this.defaults.enabled() || caller.isAdmin() || tokens <= 0) {
			return;
		}
		long now = this.ticker.read();
		Buckets engine = buckets(caller);
		if (engine.bucket(kind, now).tryTake(tokens, now)) {
			return;
		}
		throw refuse(caller.engineId(), engine, kind, tokens, now);
	}

	/**
	 * The budget in force for an engine, as the operator sees it.
	 * @param engineId the engine
	 * @return the budget and override
	 * @throws ProblemException 404 when there is no such engine
	 */
	public View find(String engineId) {
		Engine engine = requireEngine(engineId);
		BudgetOverride override = this.repository.find(engineId).orElse(null);
		return view(engine, (override != null) ? override.settings() : BudgetSettings.NONE, override);
	}

	/**
	 * Sets an engine's override, replacing any earlier one whole; audited, and in force
	 * on every replica within the propagation bound.
	 * @param engineId the engine
	 * @param settings the numbers to set; null ones take the default
	 * @return the budget now in force
	 * @throws ProblemException 404 when there is no such engine, 409 for the operator
	 */
	public View set(String engineId, BudgetSettings settings) {
		Engine engine = requireEngine(engineId);
		if (engine.role() == EngineRole.ADMIN) {
			throw new ProblemException(ProblemType.CONFLICT, "The operator is exempt from budgets");
		}
		BudgetOverride saved = this.changes.write(ChangeKind.BUDGET, engineId, () -> {
			BudgetOverride before = this.repository.find(engineId).orElse(null);
			BudgetOverride after = new BudgetOverride(engineId, settings, this.clock.instant());
			this.repository.save(engineId, settings, after.updatedAt());
			this.audit.record("engine.budget.set", "engine", engineId, (before != null) ? before.settings() : null,
					settings);
			return after;
		});
		return view(engine, settings, saved);
	}

	/**
	 * Removes an engine's override, so that the defaults apply again; audited, and in
	 * force on every replica within the propagation bound.
	 * @param engineId the engine
	 * @throws ProblemException 404 when the engine has no override
	 */
	public void reset(String engineId) {
		this.changes.run(ChangeKind.BUDGET, engineId, () -> {
			BudgetOverride before = this.repository.find(engineId)
				.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
						"Engine '" + engineId + "' has no budget override"));
			this.repository.delete(engineId);
			this.audit.record("engine.budget.delete", "engine", engineId, before.settings(), null);
		});
	}

	private Engine requireEngine(String engineId) {
		return this.engines.find(engineId)
			.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No engine named '" + engineId + "'"));
	}

	private View view(Engine engine, BudgetSettings settings, BudgetOverride override) {
		boolean enforced = this.defaults.enabled() && engine.role() != EngineRole.ADMIN;
		Budget budget = Budget.of(this.defaults, settings);
		return new View(engine.engineId(), enforced, budget, override, available(engine.engineId(), budget));
	}

	/**
	 * The tokens an engine has left now on this replica, per budget: the whole burst for
	 * a budget it has not used lately (its bucket is full or forgotten).
	 */
	private Map<BudgetKind, Long> available(String engineId, Budget budget) {
		Buckets engine = this.buckets.getIfPresent(engineId);
		Map<BudgetKind, Long> left = new EnumMap<>(BudgetKind.class);
		for (BudgetKind kind : BudgetKind.values()) {
			TokenBucket bucket = (engine != null) ? engine.buckets.get(kind.ordinal()) : null;
			left.put(kind, (bucket != null) ? bucket.available(this.ticker.read()) : budget.of(kind).burst());
		}
		return left;
	}

	/**
	 * The caller's buckets: those its slot holds while the cache holds them too (a
	 * changed budget drops them there), else the cache's (made on first use), which the
	 * slot then holds.
	 */
	private Buckets buckets(AuthenticatedEngine caller) {
		EngineSlot slot = caller.slot();
		if (slot != null && slot.get() instanceof Buckets held && !held.dropped) {
			return held;
		}
		Buckets found = this.buckets.get(caller.engineId(), this.newBuckets);
		if (slot != null) {
			slot.set(found);
		}
		return found;
	}

	private Buckets newBuckets(String engineId) {
		BudgetOverride override = this.overrides.get(engineId);
		return new Buckets((override != null) ? Budget.of(this.defaults, override.settings()) : this.defaultBudget,
				this.ticker.read());
	}

	private ProblemException refuse(String engineId, Buckets engine, BudgetKind kind, int tokens, long now) {
		Budget.Rate rate = engine.budget.of(kind);
		if (tokens > rate.burst()) {
			// No wait would help: the request itself is too large for this engine. A 400
			// without Retry-After, so a client that obeys Retry-After does not loop.
			return new ProblemException(ProblemType.INVALID_REQUEST,
					"This request carries " + tokens + " " + kind.label() + ", more than engine '" + engineId
							+ "' may send at once (its " + kind.label() + " burst is " + rate.burst()
							+ "); send at most " + rate.burst() + " per request",
					Map.of("errors", List.of(Map.of("field", kind.label(), "message",
							"must hold at most " + rate.burst() + " items for this engine"))));
		}
		this.refused.get(kind).increment();
		long nanos = engine.bucket(kind, now).nanosUntil(tokens, now);
		Duration wait = Duration.ofNanos(Math.max(1, nanos));
		String detail = "Engine '" + engineId + "' is over its " + kind.label() + " budget of " + rate.perSecond()
				+ " per second (burst " + rate.burst() + "); retry in " + ProblemException.retryAfterSeconds(wait)
				+ " s";
		engine.logRefusal(kind, tokens, wait, now);
		return new ProblemException(ProblemType.BUDGET_EXCEEDED, detail, kind.problemProperties(), wait);
	}

	/** Re-reads one engine's override after it changed, and drops its buckets. */
	private synchronized void reload(String engineId) {
		BudgetOverride current = this.repository.find(engineId).orElse(null);
		BudgetOverride known = this.overrides.get(engineId);
		if (current == null ? known == null : current.equals(known)) {
			return;
		}
		Map<String, BudgetOverride> overrides = new HashMap<>(this.overrides);
		if (current != null) {
			overrides.put(engineId, current);
		}
		else {
			overrides.remove(engineId);
		}
		// The map first: a bucket made from now on sees the new budget, and one made
		// before waits for the invalidation below (Caffeine locks the key), which also
		// stops a slot from using the old ones.
		this.overrides = Map.copyOf(overrides);
		this.buckets.invalidate(engineId);
	}

	/**
	 * An engine changed (registered, suspended, deleted, ...): only an engine with an
	 * override here can have lost it, so only then is the store read.
	 */
	private void engineChanged(String engineId) {
		if (this.overrides.containsKey(engineId)) {
			reload(engineId);
		}
	}

	/** Re-reads every override, when changes may have been missed. */
	private synchronized void reloadAll() {
		this.overrides = Map.copyOf(this.repository.findAll());
		this.buckets.invalidateAll();
	}

	/**
	 * An engine's budget as the operator sees it.
	 *
	 * @param engineId the engine
	 * @param enforced false for the operator (exempt) or when budgets are disabled
	 * @param budget the numbers in force
	 * @param override the operator's override, or null
	 * @param available the tokens the engine has left now on this replica, per budget
	 */
	public record View(String engineId, boolean enforced, Budget budget, BudgetOverride override,
			Map<BudgetKind, Long> available) {
	}

	/**
	 * One engine's buckets, made on first use of each kind.
	 */
	private static final class Buckets {

		private final Budget budget;

		/**
		 * Set once the cache has dropped these buckets: a slot holding them looks again.
		 */
		private volatile boolean dropped;

		private final AtomicReferenceArray<TokenBucket> buckets = new AtomicReferenceArray<>(
				BudgetKind.values().length);

		/** When the next refusal may be logged, in {@link Ticker} nanoseconds. */
		private final AtomicLong nextLogAt;

		/** Refusals since the last log line. */
		private final AtomicLong unlogged = new AtomicLong();

		Buckets(Budget budget, long now) {
			this.budget = budget;
			this.nextLogAt = new AtomicLong(now);
		}

		TokenBucket bucket(BudgetKind kind, long now) {
			TokenBucket bucket = this.buckets.get(kind.ordinal());
			if (bucket != null) {
				return bucket;
			}
			TokenBucket made = new TokenBucket(this.budget.of(kind), now);
			return this.buckets.compareAndSet(kind.ordinal(), null, made) ? made : this.buckets.get(kind.ordinal());
		}

		void logRefusal(BudgetKind kind, int tokens, Duration wait, long now) {
			long next = this.nextLogAt.get();
			if (now - next >= 0 && this.nextLogAt.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
				log.atWarn()
					.addKeyValue("cause", "budget_exceeded")
					.addKeyValue("budget", kind.label())
					.addKeyValue("tokens", tokens)
					.addKeyValue("retry_after_ms", wait.toMillis())
					.addKeyValue("refused_unlogged", this.unlogged.getAndSet(0))
					.log("request refused");
			}
			else {
				this.unlogged.incrementAndGet();
			}
		}

	}

}
