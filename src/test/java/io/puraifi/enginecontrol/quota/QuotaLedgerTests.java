package io.puraifi.enginecontrol.quota;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.puraifi.enginecontrol.quota.QuotaResult.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link QuotaLedger} against an in-memory store, with time passed in.
 */
class QuotaLedgerTests {

	private static final Instant T0 = Instant.parse("2026-11-27T10:20:00Z");

	private static final Duration HOUR = Duration.ofHours(1);

	private static final Duration MINUTE = Duration.ofMinutes(1);

	private final InMemoryQuotaUsageRepository store = new InMemoryQuotaUsageRepository();

	/**
	 * A ledger whose blocks stop growing at 64, so that the cap shows in a few checks.
	 */
	private final QuotaLedger ledger = new QuotaLedger(this.store, 64, Duration.ofSeconds(1), Duration.ofMillis(100));

	@Test
	void blocksDoubleWhileChecksComeFastUpToTheCap() {
		QuotaRule rule = rule("r", 100_000, HOUR);
		List<QuotaResult> results = checks(rule, "mailer", T0, 300);
		assertThat(results).allMatch(QuotaResult::allowed);
		assertThat(this.store.wanted()).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 64L, 64L, 64L);
		assertThat(this.ledger.stats()).isEqualTo(new QuotaLedger.Stats(300, 10));
		assertThat(this.store.leased(key(rule, "mailer", HOUR, T0))).isEqualTo(319);
		assertThat(this.ledger.held("r", "mailer", HOUR, T0)).isEqualTo(19);
	}

	@Test
	void blocksGrowUntilOneLastsHalfASecondOfTheTrafficSeen() {
		QuotaRule rule = rule("r", 100_000, HOUR);
		for (int i = 0; i < 400; i++) {
			assertThat(this.ledger.tryAcquire(rule, "mailer", T0.plusMillis(10L * i)).allowed()).isTrue();
		}
		// 100 checks a second: a block of 32 lasts 320 ms and doubles; one of 64 lasts
		// 640 ms and stays (the test ledger's cap is 64 too).
		assertThat(this.store.wanted()).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 64L, 64L, 64L, 64L, 64L);
		assertThat(this.ledger.stats().storeLeases()).isEqualTo(12);
	}

	@Test
	void slowChecksLeaseOneUnitAtATimeAndABlockShrinksToOneAfterAnIdlePause() {
		QuotaRule rule = rule("r", 100_000, HOUR);
		for (int i = 0; i < 5; i++) {
			assertThat(this.ledger.tryAcquire(rule, "mailer", T0.plusMillis(600L * i)).allowed()).isTrue();
		}
		assertThat(this.store.wanted()).containsExactly(1L, 1L, 1L, 1L, 1L);
		Instant later = T0.plusSeconds(10);
		checks(rule, "mailer", later, 7);
		assertThat(this.store.wanted()).endsWith(1L, 2L, 4L);
		Instant afterPause = later.plusMillis(1500);
		checks(rule, "mailer", afterPause, 3);
		assertThat(this.store.wanted()).endsWith(1L, 2L, 4L, 1L, 2L);
	}

	@Test
	void aBlockIsNeverMoreThanAQuarterOfWhatTheStoreHadLeft() {
		QuotaRule rule = rule("r", 20, HOUR);
		List<QuotaResult> results = checks(rule, "mailer", T0, 21);
		assertThat(results.subList(0, 20)).allMatch(QuotaResult::allowed);
		assertThat(results.get(20).status()).isEqualTo(Status.QUOTA_EXCEEDED);
		assertThat(this.store.wanted()).containsExactly(1L, 2L, 4L, 3L, 2L, 2L, 1L, 1L, 1L, 1L, 1L, 1L, 1L);
	}

	@Test
	void checksAreAllowedUpToMaxThenExceededUntilTheWindowEnds() {
		QuotaRule rule = rule("mailer-email", 5, HOUR);
		List<QuotaResult> results = checks(rule, "mailer", T0, 6);
		assertThat(results.subList(0, 5)).extracting(QuotaResult::remaining).containsExactly(4L, 3L, 2L, 1L, 0L);
		QuotaResult denied = results.get(5);
		assertThat(denied.status()).isEqualTo(Status.QUOTA_EXCEEDED);
		assertThat(denied.allowed()).isFalse();
		assertThat(denied.rule()).isEqualTo("mailer-email");
		assertThat(denied.limit()).isEqualTo(new QuotaLimit(5, HOUR));
		assertThat(denied.retryAfter()).isEqualTo(Duration.ofMinutes(40));
		assertThat(denied.retryAfterSeconds()).isEqualTo(2400);
		QuotaResult lastMoment = this.ledger.tryAcquire(rule, "mailer", Instant.parse("2026-11-27T10:59:59.5Z"));
		assertThat(lastMoment.status()).isEqualTo(Status.QUOTA_EXCEEDED);
		assertThat(lastMoment.retryAfter()).isEqualTo(Duration.ofMillis(500));
		assertThat(lastMoment.retryAfterSeconds()).isEqualTo(1);
		QuotaResult nextWindow = this.ledger.tryAcquire(rule, "mailer", Instant.parse("2026-11-27T11:00:00Z"));
		assertThat(nextWindow.allowed()).isTrue();
		assertThat(nextWindow.remaining()).isEqualTo(4);
	}

	@Test
	void aFullLimitIsAnsweredFromMemoryUntilItIsRechecked() {
		QuotaRule rule = rule("r", 1, HOUR);
		assertThat(this.ledger.tryAcquire(rule, "mailer", T0).allowed()).isTrue();
		assertThat(this.ledger.tryAcquire(rule, "mailer", T0).status()).isEqualTo(Status.QUOTA_EXCEEDED);
		assertThat(this.ledger.stats().storeLeases()).isEqualTo(2);
		List<QuotaResult> results = checks(rule, "mailer", T0.plusMillis(50), 10);
		assertThat(results).extracting(QuotaResult::status).containsOnly(Status.QUOTA_EXCEEDED);
		assertThat(this.ledger.stats().storeLeases()).isEqualTo(2);
		this.ledger.tryAcquire(rule, "mailer", T0.plus(QuotaLedger.DEFAULT_EXHAUSTED_RECHECK));
		assertThat(this.ledger.stats().storeLeases()).isEqualTo(3);
	}

	@Test
	void aCheckUnderSeveralLimitsSpendsOneUnitOfEachOrNone() {
		QuotaRule rule = new QuotaRule("r", null, "gmail", "send_email",
				List.of(new QuotaLimit(2, MINUTE), new QuotaLimit(3, HOUR)), QuotaMode.ENFORCE);
		assertThat(checks(rule, "mailer", T0, 2)).allMatch(QuotaResult::allowed);
		QuotaResult minuteFull = this.ledger.tryAcquire(rule, "mailer", T0.plusSeconds(15));
		assertThat(minuteFull.status()).isEqualTo(Status.QUOTA_EXCEEDED);
		assertThat(minuteFull.limit()).isEqualTo(new QuotaLimit(2, MINUTE));
		assertThat(minuteFull.retryAfter()).isEqualTo(Duration.ofSeconds(45));
		// the hour's unit taken for the denied check went back to the holding
		assertThat(this.ledger.held("r", "mailer", HOUR, T0)).isEqualTo(1);
		QuotaResult nextMinute = this.ledger.tryAcquire(rule, "mailer", T0.plus(MINUTE));
		assertThat(nextMinute.allowed()).isTrue();
		assertThat(nextMinute.remaining()).isZero();
		QuotaResult hourFull = this.ledger.tryAcquire(rule, "mailer", T0.plus(MINUTE));
		assertThat(hourFull.status()).isEqualTo(Status.QUOTA_EXCEEDED);
		assertThat(hourFull.limit()).isEqualTo(new QuotaLimit(3, HOUR));
		assertThat(hourFull.retryAfter()).isEqualTo(Duration.ofMinutes(39));
		assertThat(this.store.leased(key(rule, "mailer", HOUR, T0))).isEqualTo(3);
		assertThat(this.store.leased(key(rule, "mailer", MINUTE, T0.plus(MINUTE)))).isEqualTo(1);
	}

	@Test
	void anUnexpectedStoreErrorPutsBackTheUnitsTakenForOtherLimits() {
		QuotaRule rule = new QuotaRule("r", null, "gmail", "send_email",
				List.of(new QuotaLimit(2, MINUTE), new QuotaLimit(3, HOUR)), QuotaMode.ENFORCE);
		assertThat(this.ledger.tryAcquire(rule, "mailer", T0).allowed()).isTrue();
		this.store.breakLeasesOf(MINUTE);
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.ledger.tryAcquire(rule, "mailer", T0.plus(MINUTE)));
		assertThat(this.ledger.held("r", "mailer", HOUR, T0))
			.as("only the first check spent an hour's unit; the failed one's went back")
			.isEqualTo(this.store.leased(key(rule, "mailer", HOUR, T0)) - 1);
	}

	@Test
	void unspentUnitsGoBackOnceAHoldingIsIdle() {
		QuotaRule rule = rule("r", 1000, HOUR);
		checks(rule, "mailer", T0, 10);
		assertThat(this.store.leased(key(rule, "mailer", HOUR, T0))).isEqualTo(15);
		this.ledger.giveBackIdle(T0.plusMillis(999));
		assertThat(this.store.givenBack()).isEmpty();
		assertThat(this.ledger.held("r", "mailer", HOUR, T0)).isEqualTo(5);
		this.ledger.giveBackIdle(T0.plus(QuotaLedger.DEFAULT_IDLE_AFTER));
		assertThat(this.store.givenBack()).containsExactly(5L);
		assertThat(this.store.leased(key(rule, "mailer", HOUR, T0))).isEqualTo(10);
		assertThat(this.ledger.held("r", "mailer", HOUR, T0)).isZero();
		assertThat(this.ledger.tryAcquire(rule, "mailer", T0.plusSeconds(2)).allowed()).isTrue();
		assertThat(this.store.wanted()).endsWith(1L);
	}

	@Test
	void unspentUnitsOfARuleGoBackWhenItChangesAndOtherRulesKeepTheirs() {
		QuotaRule changed = rule("changed", 1000, HOUR);
		QuotaRule other = rule("other", 1000, HOUR);
		checks(changed, "mailer", T0, 10);
		checks(other, "mailer", T0, 10);
		this.ledger.giveBack("changed", T0);
		assertThat(this.store.leased(key(changed, "mailer", HOUR, T0))).isEqualTo(10);
		assertThat(this.store.leased(key(other, "mailer", HOUR, T0))).isEqualTo(15);
		assertThat(this.ledger.held("other", "mailer", HOUR, T0)).isEqualTo(5);
	}

	@Test
	void everyUnspentUnitGoesBackOnShutdown() {
		QuotaRule first = rule("first", 1000, HOUR);
		QuotaRule second = new QuotaRule("second", null, "gmail", "*",
				List.of(new QuotaLimit(1000, MINUTE), new QuotaLimit(5000, HOUR)), QuotaMode.SHADOW);
		checks(first, "mailer", T0, 10);
		checks(second, "mailer", T0, 10);
		checks(second, "reporter", T0, 3);
		this.ledger.giveBackAll(T0.plusSeconds(1));
		assertThat(this.store.leased(key(first, "mailer", HOUR, T0))).isEqualTo(10);
		assertThat(this.store.leased(key(second, "mailer", MINUTE, T0))).isEqualTo(10);
		assertThat(this.store.leased(key(second, "mailer", HOUR, T0))).isEqualTo(10);
		assertThat(this.store.leased(key(second, "reporter", HOUR, T0))).isEqualTo(3);
	}

	@Test
	void nothingGoesBackOnceTheWindowHasEnded() {
		QuotaRule rule = rule("r", 1000, HOUR);
		checks(rule, "mailer", T0, 10);
		this.ledger.giveBackAll(Instant.parse("2026-11-27T11:00:00Z"));
		assertThat(this.store.givenBack()).isEmpty();
		assertThat(this.store.leased(key(rule, "mailer", HOUR, T0))).isEqualTo(15);
	}

	@Test
	void whileTheStoreIsAwayHeldUnitsAreSpentThenChecksAreStoreUnavailable() {
		QuotaRule rule = rule("r", 1000, HOUR);
		checks(rule, "mailer", T0, 10);
		this.store.setAway(true);
		List<QuotaResult> results = checks(rule, "mailer", T0.plusSeconds(1), 6);
		assertThat(results.subList(0, 5)).allMatch(QuotaResult::allowed);
		QuotaResult unavailable = results.get(5);
		assertThat(unavailable.status()).isEqualTo(Status.STORE_UNAVAILABLE);
		assertThat(unavailable.allowed()).isFalse();
		assertThat(unavailable.limit()).isEqualTo(new QuotaLimit(1000, HOUR));
		assertThat(this.ledger.tryAcquire(rule, "other", T0).status()).isEqualTo(Status.STORE_UNAVAILABLE);
		this.store.setAway(false);
		assertThat(this.ledger.tryAcquire(rule, "mailer", T0.plusSeconds(2)).allowed()).isTrue();
	}

	@Test
	void aStoreThatCouldNotBeReachedIsNotAskedAgainByEveryQueuedCheck() {
		QuotaRule rule = rule("r", 1000, HOUR);
		this.store.setAway(true);
		assertThat(this.ledger.tryAcquire(rule, "mailer", T0).status()).isEqualTo(Status.STORE_UNAVAILABLE);
		this.store.setAway(false);
		assertThat(this.ledger.tryAcquire(rule, "mailer", T0.plusMillis(99)).status())
			.isEqualTo(Status.STORE_UNAVAILABLE);
		assertThat(this.ledger.stats().storeLeases()).isEqualTo(1);
		assertThat(this.ledger.tryAcquire(rule, "mailer", T0.plus(QuotaLedger.DEFAULT_EXHAUSTED_RECHECK)).allowed())
			.isTrue();
	}

	@Test
	void aUnitPutBackIsSpentByTheNextCheckAndPuttingBackTwiceCreatesNoUnit() {
		QuotaRule rule = rule("r", 1, HOUR);
		QuotaResult allowed = this.ledger.tryAcquire(rule, "mailer", T0);
		assertThat(allowed.allowed()).isTrue();
		this.ledger.putBack(allowed, T0);
		this.ledger.putBack(allowed, T0);
		assertThat(this.ledger.held("r", "mailer", HOUR, T0)).isEqualTo(1);
		assertThat(this.ledger.tryAcquire(rule, "mailer", T0).allowed()).isTrue();
		assertThat(this.ledger.tryAcquire(rule, "mailer", T0).allowed()).isFalse();
		assertThat(this.store.leased(key(rule, "mailer", HOUR, T0))).isEqualTo(1);
	}

	@Test
	void aRuleOfEveryEngineCountsEachEngineOnItsOwn() {
		QuotaRule rule = rule("r", 2, HOUR);
		assertThat(checks(rule, "mailer", T0, 3)).extracting(QuotaResult::allowed).containsExactly(true, true, false);
		assertThat(checks(rule, "reporter", T0, 3)).extracting(QuotaResult::allowed).containsExactly(true, true, false);
	}

	@Test
	void concurrentChecksOnOneLedgerAreAllowedExactlyMaxTimes() throws Exception {
		QuotaRule rule = new QuotaRule("r", null, "gmail", "*",
				List.of(new QuotaLimit(1000, MINUTE), new QuotaLimit(1500, HOUR)), QuotaMode.ENFORCE);
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try {
			List<Future<Integer>> threads = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				threads.add(executor.submit(() -> {
					int allowed = 0;
					while (this.ledger.tryAcquire(rule, "mailer", T0).allowed()) {
						allowed++;
					}
					return allowed;
				}));
			}
			int total = 0;
			for (Future<Integer> thread : threads) {
				total += thread.get(30, TimeUnit.SECONDS);
			}
			assertThat(total).isEqualTo(1000);
			assertThat(this.store.leased(key(rule, "mailer", MINUTE, T0))).isEqualTo(1000);
			assertThat(this.store.leased(key(rule, "mailer", HOUR, T0)) - this.ledger.held("r", "mailer", HOUR, T0))
				.isEqualTo(1000);
		}
		finally {
			executor.shutdownNow();
		}
	}

	private List<QuotaResult> checks(QuotaRule rule, String engineId, Instant now, int count) {
		List<QuotaResult> results = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			results.add(this.ledger.tryAcquire(rule, engineId, now));
		}
		return results;
	}

	private static QuotaRule rule(String name, long max, Duration per) {
		return new QuotaRule(name, null, "gmail", "send_email", List.of(new QuotaLimit(max, per)), QuotaMode.ENFORCE);
	}

	private static QuotaUsageKey key(QuotaRule rule, String engineId, Duration per, Instant now) {
		return new QuotaUsageKey(rule.name(), engineId, per, QuotaWindow.of(now, per).start());
	}

}
