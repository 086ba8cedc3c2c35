package io.puraifi.enginecontrol.propagation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;
import io.puraifi.enginecontrol.system.StoreErrors;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one place where cache invalidation happens. Writers that can change a decision run
 * through {@link #write}: their change and a revision bump commit together, and after the
 * commit this replica invalidates the changed key. Other replicas learn of the change by
 * notification ({@link ChangeListener}) or, if one was missed, by {@link #reconcile()}.
 * <p>
 * The applied revision only moves forward and only past changes that were applied, so
 * {@link #revision()} says exactly how fresh this replica's caches are. While the store
 * cannot be reached, {@link #staleSince()} says since when they may be behind it.
 */
@Component
public class Changes {

	/**
	 * The response header that carries {@link #revision()} on every API response (see
	 * {@code RevisionHeaderAdvice}).
	 */
	public static final String REVISION_HEADER = "X-Store-Revision";

	private static final Logger log = LoggerFactory.getLogger(Changes.class);

	private static final int BATCH = 1_000;

	/**
	 * Beyond one reconcile interval, how late a confirmation may be before the state
	 * counts as stale: covers the 2 s connection wait and a slow query, not a hang.
	 */
	private static final Duration FRESH_MARGIN = Duration.ofSeconds(5);

	private final ChangeRepository repository;

	private final TransactionTemplate transactions;

	private final Map<ChangeKind, List<Consumer<String>>> invalidators = new EnumMap<>(ChangeKind.class);

	private final List<Runnable> fullInvalidators = new CopyOnWriteArrayList<>();

	private final Clock clock;

	/** How long a confirmation counts as fresh: a reconcile is due well within it. */
	private final Duration freshFor;

	private final Duration maxStaleness;

	private volatile long revision;

	/**
	 * Wakes checks that wait for a revision ({@code min_revision}) when it is applied.
	 */
	private final ReentrantLock advance = new ReentrantLock();

	private final Condition advanced = this.advance.newCondition();

	/** How many checks wait now: a change wakes nobody when nobody waits. */
	private final AtomicInteger waiters = new AtomicInteger();

	/**
	 * When a reconcile last found every change of the store applied here: the time it
	 * asked, so every change committed before then is applied.
	 */
	private volatile Instant confirmedAt;

	/**
	 * {@link #confirmedAt} plus the fresh period, kept so that a check allocates nothing.
	 */
	private volatile Instant freshUntil;

	/** Whether the last reconcile failed to reach the store. */
	private volatile boolean unreachable;

	@Autowired
	Changes(ChangeRepository repository, TransactionTemplate transactions, Clock clock,
			EngineControlProperties properties) {
		this(repository, transactions, clock, properties.propagation().reconcileInterval(),
				properties.propagation().maxStaleness());
	}

	Changes(ChangeRepository repository, TransactionTemplate transactions, Clock clock, Duration reconcileInterval,
			Duration maxStaleness) {
		this.repository = repository;
		this.transactions = transactions;
		this.clock = clock;
		this.freshFor = reconcileInterval.plus(FRESH_MARGIN);
		this.maxStaleness = maxStaleness;
		for (ChangeKind kind : ChangeKind.values()) {
			this.invalidators.put(kind, new CopyOnWriteArrayList<>());
		}
		this.revision = repository.currentRevision();
		confirm(clock.instant());
	}

	/**
	 * Registers a cache that must drop keys of a kind when they change.
	 * @param kind the kind of change
	 * @param invalidateKey drops one key
	 * @param invalidateAll drops everything, when changes may have been missed
	 */
	public void subscribe(ChangeKind kind, Consumer<String> invalidateKey, Runnable invalidateAll) {
		this.invalidators.get(kind).add(invalidateKey);
		this.fullInvalidators.add(invalidateAll);
	}

	/**
	 * Runs a write in a transaction together with its revision bump; after the commit,
	 * this replica's caches drop the changed key.
	 * @param kind what the write changes
	 * @param key which one
	 * @param write the write
	 * @return what the write returned
	 */
	public <T> T write(ChangeKind kind, String key, Supplier<T> write) {
		return this.transactions.execute((status) -> {
			T result = write.get();
			Change change = this.repository.append(kind, key);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					try {
						accept(change);
					}
					catch (RuntimeException ex) {
						// Committed: the caller must not hear otherwise. The revision
						// has not moved, so the next reconcile applies the change.
						log.atWarn()
							.setCause(ex)
							.addKeyValue("revision", change.revision())
							.log("change committed but not applied here yet; the reconcile will");
					}
				}
			});
			return result;
		});
	}

	/**
	 * Runs a write that returns nothing; see
	 * {@link #write(ChangeKind, String, Supplier)}.
	 */
	public void run(ChangeKind kind, String key, Runnable write) {
		write(kind, key, () -> {
			write.run();
			return null;
		});
	}

	/**
	 * The revision up to which every change has been applied to this replica's caches.
	 */
	public long revision() {
		return this.revision;
	}

	/**
	 * Since when this replica's caches may be behind the store: the last time a reconcile
	 * confirmed them, once the store cannot be reached or no confirmation has come for
	 * longer than a reconcile interval plus a margin (a store that hangs instead of
	 * refusing); null while they are confirmed.
	 * @param now the time of the question
	 */
	public Instant staleSince(Instant now) {
		if (this.unreachable || now.isAfter(this.freshUntil)) {
			return this.confirmedAt;
		}
		return null;
	}

	/**
	 * Fails closed when this replica's state has been stale for longer than
	 * {@code max-staleness}: past that bound nothing is answered from cached state.
	 * @param now the time of the question
	 * @return since when the state may be stale, or null while it is confirmed
	 * @throws ProblemException {@code store-unavailable} (503) past the bound, with
	 * {@code allowed: false}
	 */
	public Instant requireUsableState(Instant now) {
		Instant staleSince = staleSince(now);
		if (staleSince != null && Duration.between(staleSince, now).compareTo(this.maxStaleness) > 0) {
			throw storeUnavailable("The store has been unreachable since " + staleSince + ", longer than the "
					+ this.maxStaleness.toSeconds() + " s this replica answers from its last known state; "
					+ "nothing is allowed until it is back");
		}
		return staleSince;
	}

	/**
	 * A {@code store-unavailable} problem (503) that says nothing is allowed.
	 * @param detail what happened
	 * @return the problem
	 */
	public static ProblemException storeUnavailable(String detail) {
		return new ProblemException(ProblemType.STORE_UNAVAILABLE, detail,
				Map.of("allowed", false, "reason", ProblemType.STORE_UNAVAILABLE.name()), Duration.ofSeconds(5));
	}

	/**
	 * Applies a change this replica heard of. Changes arrive in commit order; one that
	 * skips a revision means some were missed, and they are read from the store.
	 * @param change the committed change
	 */
	synchronized void accept(Change change) {
		if (change.revision() <= this.revision) {
			return;
		}
		if (change.revision() == this.revision + 1) {
			apply(change);
			return;
		}
		reconcile();
	}

	/**
	 * Brings this replica up to the store's revision by applying the logged changes it
	 * has not seen, or by dropping every cache entry when the log no longer reaches back
	 * that far.
	 * @return the revision reached
	 */
	public synchronized long reconcile() {
		Instant asked = this.clock.instant();
		long current = currentRevision();
		if (current <= this.revision) {
			confirm(asked);
			return this.revision;
		}
		long oldest = this.repository.oldestLoggedRevision();
		if (oldest == 0 || oldest > this.revision + 1) {
			log.atWarn()
				.addKeyValue("from_revision", this.revision)
				.addKeyValue("to_revision", current)
				.log("changes no longer logged; dropping every cached entry");
			this.fullInvalidators.forEach(Runnable::run);
			advanceTo(current);
			confirm(asked);
			return current;
		}
		while (this.revision < current) {
			List<Change> changes = this.repository.changesAfter(this.revision, BATCH);
			if (changes.isEmpty()) {
				break;
			}
			changes.forEach(this::apply);
		}
		if (this.revision >= current) {
			confirm(asked);
		}
		return this.revision;
	}

	/**
	 * Waits until this replica has applied the revisions a request asks for, as far as
	 * the store has them. The store's revision is read once, only when this replica is
	 * behind the highest; then the wait is for a signal that change following applied
	 * more, never a poll of the store, and it ends at {@code maxWait} at the latest. A
	 * revision the store has not reached is not waited for.
	 * @param wanted the {@code min_revision} of each of the request's checks
	 * @param maxWait how long to wait at most
	 * @return the revision reached and the store's, which {@link RevisionWait#require}
	 * holds each wanted revision against
	 */
	public RevisionWait awaitRevision(Collection<Long> wanted, Duration maxWait) {
		long applied = this.revision;
		long highest = Collections.max(wanted);
		if (applied >= highest) {
			return new RevisionWait(applied, applied);
		}
		long store;
		try {
			store = this.repository.currentRevision();
		}
		catch (RuntimeException ex) {
			if (StoreErrors.isOutage(ex)) {
				return new RevisionWait(this.revision, RevisionWait.UNKNOWN);
			}
			throw ex;
		}
		long target = -1;
		for (long revision : wanted) {
			if (revision <= store) {
				target = Math.max(target, revision);
			}
		}
		awaitApplied(target, maxWait);
		return new RevisionWait(this.revision, store);
	}

	private void awaitApplied(long target, Duration maxWait) {
		if (this.revision >= target) {
			return;
		}
		this.waiters.incrementAndGet();
		this.advance.lock();
		try {
			long nanos = maxWait.toNanos();
			while (this.revision < target && nanos > 0) {
				nanos = this.advanced.awaitNanos(nanos);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.advance.unlock();
			this.waiters.decrementAndGet();
		}
	}

	/** Moves the applied revision forward and wakes whoever waits for it. */
	private void advanceTo(long revision) {
		this.revision = revision;
		if (this.waiters.get() > 0) {
			this.advance.lock();
			try {
				this.advanced.signalAll();
			}
			finally {
				this.advance.unlock();
			}
		}
	}

	private void confirm(Instant asked) {
		this.freshUntil = asked.plus(this.freshFor);
		this.confirmedAt = asked;
	}

	private long currentRevision() {
		long current;
		try {
			current = this.repository.currentRevision();
		}
		catch (DataAccessException ex) {
			if (!this.unreachable) {
				this.unreachable = true;
				log.atWarn()
					.addKeyValue("revision", this.revision)
					.addKeyValue("stale_since", this.confirmedAt)
					.log("store unreachable; answering from the last state it confirmed");
			}
			throw ex;
		}
		if (this.unreachable) {
			this.unreachable = false;
			log.atInfo().addKeyValue("revision", this.revision).log("store reachable again");
		}
		return current;
	}

	private void apply(Change change) {
		for (Consumer<String> invalidator : this.invalidators.get(change.kind())) {
			invalidator.accept(change.key());
		}
		advanceTo(change.revision());
	}

}
