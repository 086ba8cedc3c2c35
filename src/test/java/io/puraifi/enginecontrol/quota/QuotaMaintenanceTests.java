package io.puraifi.enginecontrol.quota;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.puraifi.enginecontrol.support.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaMaintenanceTests {

	private static final Instant T0 = Instant.parse("2026-11-27T10:20:00Z");

	private static final Duration HOUR = Duration.ofHours(1);

	private static final QuotaRule RULE = new QuotaRule("r", null, "gmail", "send_email",
			List.of(new QuotaLimit(1000, HOUR)), QuotaMode.ENFORCE);

	private static final QuotaUsageKey KEY = new QuotaUsageKey("r", "mailer", HOUR,
			Instant.parse("2026-11-27T10:00:00Z"));

	private final InMemoryQuotaUsageRepository store = new InMemoryQuotaUsageRepository();

	private final QuotaLedger ledger = new QuotaLedger(this.store);

	private final MovableClock clock = new MovableClock(T0);

	private final QuotaMaintenance maintenance = new QuotaMaintenance(this.ledger, this.store, this.clock);

	@Test
	void stopGivesBackEveryUnitThisReplicaHolds() {
		this.maintenance.start();
		spend(10);
		assertThat(this.store.leased(KEY)).isEqualTo(15);
		this.maintenance.stop();
		assertThat(this.maintenance.isRunning()).isFalse();
		assertThat(this.store.leased(KEY)).isEqualTo(10);
	}

	@Test
	void idleSweepGivesBackOnlyOnceHoldingsAreIdle() {
		spend(10);
		this.maintenance.giveBackIdle();
		assertThat(this.store.leased(KEY)).isEqualTo(15);
		this.clock.set(T0.plus(QuotaLedger.DEFAULT_IDLE_AFTER));
		this.maintenance.giveBackIdle();
		assertThat(this.store.leased(KEY)).isEqualTo(10);
	}

	@Test
	void retentionDeletesCountersOfEndedWindows() {
		spend(1);
		assertThat(this.maintenance.deleteEndedWindows()).isZero();
		this.clock.set(KEY.windowEnd());
		assertThat(this.maintenance.deleteEndedWindows()).isEqualTo(1);
	}

	@Test
	void whileTheStoreIsAwaySweepsThrowNothingAndUnitsNotGivenBackStayLeased() {
		spend(10);
		this.store.setAway(true);
		this.clock.set(T0.plusSeconds(5));
		this.maintenance.giveBackIdle();
		assertThat(this.maintenance.deleteEndedWindows()).isZero();
		this.store.setAway(false);
		assertThat(this.store.leased(KEY)).isEqualTo(15);
	}

	private void spend(int checks) {
		for (int i = 0; i < checks; i++) {
			assertThat(this.ledger.tryAcquire(RULE, "mailer", T0).allowed()).isTrue();
		}
	}

}
