package io.puraifi.enginecontrol.quota;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.puraifi.enginecontrol.quota.QuotaResult.Status;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link QuotaUsageRepository} store must do, and the quota invariant with
 * several replicas (each a {@link QuotaLedger} with its own connection pool) on one
 * database. Each database runs these cases through a small subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QuotaUsageRepositoryContractTests {

	private static final Duration HOUR = Duration.ofHours(1);

	private static final Instant T0 = Instant.parse("2026-11-27T10:20:00Z");

	private static final QuotaUsageKey KEY = new QuotaUsageKey("mailer-email", "mailer", HOUR,
			Instant.parse("2026-11-27T10:00:00Z"));

	private TestDatabase database;

	private QuotaUsageRepository repository;

	private JdbcClient jdbc;

	abstract TestDatabase createDatabase();

	@BeforeAll
	void createRepository() {
		this.database = createDatabase();
		this.jdbc = this.database.jdbcClient();
		this.repository = new JdbcQuotaUsageRepository(this.jdbc, this.database.transactionTemplate());
	}

	@BeforeEach
	void deleteUsage() {
		this.jdbc.sql("delete from quota_usage").update();
	}

	@Test
	void firstLeaseOfAWindowCreatesItsCounter() {
		assertThat(this.repository.lease(KEY, 10, 3)).isEqualTo(new QuotaLease(3, 3));
		assertThat(this.repository.current("mailer-email", T0)).containsExactly(new QuotaUsage("mailer-email", "mailer",
				HOUR, KEY.windowStart(), Instant.parse("2026-11-27T11:00:00Z"), 3));
	}

	@Test
	void leaseGrantsWhatIsLeftAtMostAndNeverTakesTheCounterAboveMax() {
		assertThat(this.repository.lease(KEY, 10, 8)).isEqualTo(new QuotaLease(8, 8));
		assertThat(this.repository.lease(KEY, 10, 5)).isEqualTo(new QuotaLease(2, 10));
		assertThat(this.repository.lease(KEY, 10, 1)).isEqualTo(new QuotaLease(0, 10));
		assertThat(this.repository.lease(KEY, 20, 15)).isEqualTo(new QuotaLease(10, 20));
	}

	@Test
	void leaseUnderAMaxLoweredBelowWhatIsLeasedGrantsNothing() {
		this.repository.lease(KEY, 10, 8);
		assertThat(this.repository.lease(KEY, 5, 1)).isEqualTo(new QuotaLease(0, 8));
		assertThat(leased(KEY)).isEqualTo(8);
	}

	@Test
	void firstLeaseIsCappedByMax() {
		assertThat(this.repository.lease(KEY, 2, 5)).isEqualTo(new QuotaLease(2, 2));
	}

	@Test
	void unspentUnitsGoBackWhileTheWindowLastsAndNeverBelowZero() {
		this.repository.lease(KEY, 10, 8);
		assertThat(this.repository.giveBack(KEY, 3, T0)).isTrue();
		assertThat(leased(KEY)).isEqualTo(5);
		assertThat(this.repository.giveBack(KEY, 6, T0)).isFalse();
		assertThat(leased(KEY)).isEqualTo(5);
		assertThat(this.repository.giveBack(KEY, 1, Instant.parse("2026-11-27T11:00:00Z"))).isFalse();
		assertThat(leased(KEY)).isEqualTo(5);
		assertThat(this.repository.giveBack(KEY, 1, Instant.parse("2026-11-27T10:59:59.999999Z"))).isTrue();
		assertThat(leased(KEY)).isEqualTo(4);
		assertThat(this.repository.lease(KEY, 10, 10)).isEqualTo(new QuotaLease(6, 10));
	}

	@Test
	void countersAreSeparatePerEngineWindowLengthAndWindow() {
		QuotaUsageKey otherEngine = new QuotaUsageKey("mailer-email", "reporter", HOUR, KEY.windowStart());
		QuotaUsageKey day = new QuotaUsageKey("mailer-email", "mailer", Duration.ofDays(1),
				Instant.parse("2026-11-27T00:00:00Z"));
		QuotaUsageKey nextHour = new QuotaUsageKey("mailer-email", "mailer", HOUR,
				Instant.parse("2026-11-27T11:00:00Z"));
		QuotaUsageKey otherRule = new QuotaUsageKey("other", "mailer", HOUR, KEY.windowStart());
		this.repository.lease(KEY, 10, 1);
		this.repository.lease(otherEngine, 10, 2);
		this.repository.lease(day, 10, 3);
		this.repository.lease(nextHour, 10, 4);
		this.repository.lease(otherRule, 10, 5);
		assertThat(this.repository.current("mailer-email", T0))
			.extracting(QuotaUsage::engineId, QuotaUsage::per, QuotaUsage::leased)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("mailer", HOUR, 1L),
					org.assertj.core.groups.Tuple.tuple("mailer", Duration.ofDays(1), 3L),
					org.assertj.core.groups.Tuple.tuple("reporter", HOUR, 2L));
		assertThat(this.repository.current("mailer-email", "reporter", T0)).extracting(QuotaUsage::leased)
			.containsExactly(2L);
		assertThat(this.repository.current("mailer-email", "mailer", Instant.parse("2026-11-27T11:00:00Z")))
			.extracting(QuotaUsage::per, QuotaUsage::leased)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(HOUR, 4L),
					org.assertj.core.groups.Tuple.tuple(Duration.ofDays(1), 3L));
	}

	@Test
	void countersOfEndedWindowsAreDeleted() {
		QuotaUsageKey day = new QuotaUsageKey("mailer-email", "mailer", Duration.ofDays(1),
				Instant.parse("2026-11-27T00:00:00Z"));
		this.repository.lease(KEY, 10, 1);
		this.repository.lease(day, 10, 1);
		assertThat(this.repository.deleteEndedBefore(Instant.parse("2026-11-27T10:59:59Z"))).isZero();
		assertThat(this.repository.deleteEndedBefore(Instant.parse("2026-11-27T11:00:00Z"))).isEqualTo(1);
		assertThat(this.jdbc.sql("select per_seconds from quota_usage").query(Long.class).list())
			.containsExactly(86400L);
	}

	@Test
	void replicasCreatingTheSameCounterAtOnceShareItsMaxExactly() throws Exception {
		int threads = 8;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			for (int round = 0; round < 10; round++) {
				QuotaUsageKey key = new QuotaUsageKey("race-" + round, "mailer", HOUR, KEY.windowStart());
				CyclicBarrier barrier = new CyclicBarrier(threads);
				List<Future<Long>> grants = new ArrayList<>();
				for (int t = 0; t < threads; t++) {
					grants.add(executor.submit(() -> {
						barrier.await(30, TimeUnit.SECONDS);
						return this.repository.lease(key, 50, 10).granted();
					}));
				}
				long granted = 0;
				for (Future<Long> grant : grants) {
					granted += grant.get(60, TimeUnit.SECONDS);
				}
				assertThat(granted).isEqualTo(50);
				assertThat(leased(key)).isEqualTo(50);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void threeReplicasSpendingOneRuleConcurrentlyAreAllowedExactlyMax() throws Exception {
		QuotaRule rule = new QuotaRule("mailer-email", "mailer", "gmail", "send_email",
				List.of(new QuotaLimit(500, HOUR)), QuotaMode.ENFORCE);
		int replicas = 3;
		int threadsPerReplica = 4;
		List<HikariDataSource> pools = new ArrayList<>();
		List<QuotaLedger> ledgers = new ArrayList<>();
		ExecutorService executor = Executors.newFixedThreadPool(replicas * threadsPerReplica);
		try {
			for (int r = 0; r < replicas; r++) {
				HikariDataSource pool = pool();
				pools.add(pool);
				ledgers.add(new QuotaLedger(new JdbcQuotaUsageRepository(JdbcClient.create(pool),
						new TransactionTemplate(new DataSourceTransactionManager(pool)))));
			}
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Integer>> threads = new ArrayList<>();
			for (QuotaLedger ledger : ledgers) {
				for (int t = 0; t < threadsPerReplica; t++) {
					threads.add(executor.submit(() -> {
						start.await();
						int allowed = 0;
						while (true) {
							QuotaResult result = ledger.tryAcquire(rule, "mailer", T0);
							if (!result.allowed()) {
								assertThat(result.status()).isEqualTo(Status.QUOTA_EXCEEDED);
								return allowed;
							}
							allowed++;
						}
					}));
				}
			}
			start.countDown();
			int allowed = 0;
			for (Future<Integer> thread : threads) {
				allowed += thread.get(120, TimeUnit.SECONDS);
			}
			assertThat(allowed).isEqualTo(500);
			assertThat(leased(KEY)).isEqualTo(500);
			for (QuotaLedger ledger : ledgers) {
				assertThat(ledger.held("mailer-email", "mailer", HOUR, T0)).isZero();
			}
			long checks = ledgers.stream().mapToLong((ledger) -> ledger.stats().checks()).sum();
			long storeLeases = ledgers.stream().mapToLong((ledger) -> ledger.stats().storeLeases()).sum();
			// most checks were answered from memory
			assertThat(storeLeases * 4).isLessThan(checks);
		}
		finally {
			executor.shutdownNow();
			pools.forEach(HikariDataSource::close);
		}
	}

	private HikariDataSource pool() {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(this.database.url());
		pool.setUsername(this.database.username());
		pool.setPassword(this.database.password());
		pool.setMaximumPoolSize(4);
		return pool;
	}

	private long leased(QuotaUsageKey key) {
		return this.repository.current(key.ruleName(), key.engineId(), key.windowStart())
			.stream()
			.filter((usage) -> usage.per().equals(key.per()))
			.mapToLong(QuotaUsage::leased)
			.sum();
	}

}
