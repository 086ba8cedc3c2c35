package io.puraifi.enginecontrol.propagation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.puraifi.enginecontrol.support.MovableClock;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The change log is bounded by age and by count, keeps the newest entries and every
 * recent one, and a replica that fell behind further than the log reaches drops every
 * cached entry while one within it applies exactly the changes it missed. Each database
 * runs these cases through a small subclass.
 */
abstract class ChangeLogRetentionContractTests {

	private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

	private final MovableClock clock = new MovableClock(T0);

	private JdbcChangeRepository repository;

	private TransactionTemplate transactions;

	private Changes writer;

	abstract TestDatabase createDatabase();

	@BeforeEach
	void createRepository() {
		TestDatabase database = createDatabase();
		this.repository = new JdbcChangeRepository(database.jdbcClient(), this.clock,
				new StoreDialect(database.dataSource()));
		this.transactions = database.transactionTemplate();
		this.writer = replica();
	}

	@Test
	void ageAndCountBoundsDeleteTheOldestAndKeepTheNewest() {
		write(10, T0.minus(Duration.ofDays(8)));
		write(10, T0.minus(Duration.ofHours(1)));
		write(10, T0.minusSeconds(10));
		this.clock.set(T0);
		assertThat(retention(Duration.ofDays(7), 15).purge()).isEqualTo(15);
		assertThat(this.repository.oldestLoggedRevision()).isEqualTo(16);
		assertThat(this.repository.changesAfter(0, 100)).hasSize(15);
		assertThat(retention(Duration.ofDays(7), 15).purge()).isZero();
	}

	@Test
	void recentChangesAreKeptBeyondTheCountSoALiveReplicaAppliesEachOne() {
		Changes follower = replica();
		Recorder seen = subscribe(follower);
		write(30, T0.minusSeconds(10));
		this.clock.set(T0);
		assertThat(retention(Duration.ofDays(7), 5).purge()).isZero();
		assertThat(follower.reconcile()).isEqualTo(30);
		assertThat(seen.keys).hasSize(30);
		assertThat(seen.dropAll.get()).isZero();
	}

	@Test
	void replicaBehindTheLogDropsEveryCacheOneWithinItAppliesWhatItMissed() {
		Changes farBehind = replica();
		Recorder far = subscribe(farBehind);
		write(8, T0.minus(Duration.ofHours(2)));
		Changes nearlyCurrent = replica();
		Recorder near = subscribe(nearlyCurrent);
		write(2, T0.minus(Duration.ofHours(2)).plusSeconds(8));
		this.clock.set(T0);
		assertThat(retention(Duration.ofDays(7), 3).purge()).isEqualTo(7);
		assertThat(this.repository.oldestLoggedRevision()).isEqualTo(8);

		assertThat(farBehind.reconcile()).isEqualTo(10);
		assertThat(far.dropAll.get()).isPositive();
		assertThat(far.keys).isEmpty();

		assertThat(nearlyCurrent.reconcile()).isEqualTo(10);
		assertThat(near.dropAll.get()).isZero();
		assertThat(near.keys).containsExactly("key-9", "key-10");
	}

	@Test
	void everyEntryExpiredThenAReplicaBehindDropsEveryCache() {
		Changes behind = replica();
		Recorder seen = subscribe(behind);
		write(3, T0.minus(Duration.ofDays(8)));
		this.clock.set(T0);
		assertThat(retention(Duration.ofDays(7), 100).purge()).isEqualTo(3);
		assertThat(this.repository.oldestLoggedRevision()).isZero();
		assertThat(behind.reconcile()).isEqualTo(3);
		assertThat(seen.dropAll.get()).isPositive();
	}

	private Changes replica() {
		return new Changes(this.repository, this.transactions, this.clock, Duration.ofMillis(500),
				Duration.ofMinutes(5));
	}

	private ChangeLogRetention retention(Duration retention, long maxEntries) {
		return new ChangeLogRetention(this.repository, this.clock,
				new EngineControlProperties.Propagation(Duration.ofMillis(500), Duration.ofSeconds(2),
						Duration.ofMinutes(5), retention, maxEntries, Duration.ofMinutes(10)),
				4, new SimpleMeterRegistry());
	}

	private void write(int count, Instant at) {
		for (int i = 0; i < count; i++) {
			this.clock.set(at.plusSeconds(i));
			long next = this.repository.currentRevision() + 1;
			this.writer.run(ChangeKind.ENGINE, "key-" + next, () -> {
			});
		}
	}

	private static Recorder subscribe(Changes changes) {
		Recorder recorder = new Recorder();
		changes.subscribe(ChangeKind.ENGINE, recorder.keys::add, recorder.dropAll::incrementAndGet);
		return recorder;
	}

	private static final class Recorder {

		final List<String> keys = new CopyOnWriteArrayList<>();

		final AtomicInteger dropAll = new AtomicInteger();

	}

}
