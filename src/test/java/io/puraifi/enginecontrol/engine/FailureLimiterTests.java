package io.puraifi.enginecontrol.engine;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures are counted per source and per (source, engine id) in windows that start at
 * the first failure; memory stays within the bound whatever the flood.
 */
class FailureLimiterTests {

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final FailureLimiter limiter = new FailureLimiter(10, 5, Duration.ofMinutes(1), 1_000, this.nanos::get);

	@Test
	void pairIsBlockedAfterItsFailuresUntilTheWindowEnds() {
		for (int i = 0; i < 5; i++) {
			assertThat(this.limiter.blocked("10.0.0.1", "mailer")).isEmpty();
			this.limiter.failed("10.0.0.1", "mailer");
			advance(Duration.ofSeconds(1));
		}
		assertThat(this.limiter.blocked("10.0.0.1", "mailer")).contains(Duration.ofSeconds(55));
		advance(Duration.ofSeconds(54));
		assertThat(this.limiter.blocked("10.0.0.1", "mailer")).contains(Duration.ofSeconds(1));
		advance(Duration.ofSeconds(1));
		assertThat(this.limiter.blocked("10.0.0.1", "mailer")).isEmpty();
	}

	@Test
	void failuresFromOneAddressDoNotLimitTheSameEngineFromAnother() {
		for (int i = 0; i < 20; i++) {
			this.limiter.failed("10.0.0.1", "mailer");
		}
		assertThat(this.limiter.blocked("10.0.0.1", "mailer")).isPresent();
		assertThat(this.limiter.blocked("10.0.0.2", "mailer")).isEmpty();
	}

	@Test
	void sourceIsBlockedForEveryEngineOnceItsFailuresAreUsedUp() {
		for (int i = 0; i < 9; i++) {
			this.limiter.failed("10.0.0.1", "guess-" + i);
		}
		assertThat(this.limiter.blocked("10.0.0.1", "mailer")).isEmpty();
		this.limiter.failed("10.0.0.1", "guess-9");
		assertThat(this.limiter.blocked("10.0.0.1", "mailer")).isPresent();
		assertThat(this.limiter.blocked("10.0.0.1", null)).isPresent();
		assertThat(this.limiter.blocked("10.0.0.2", "mailer")).isEmpty();
	}

	@Test
	void aNewWindowStartsAfterTheOldOneEnded() {
		for (int i = 0; i < 5; i++) {
			this.limiter.failed("10.0.0.1", "mailer");
		}
		advance(Duration.ofMinutes(1));
		this.limiter.failed("10.0.0.1", "mailer");
		assertThat(this.limiter.blocked("10.0.0.1", "mailer")).isEmpty();
	}

	@Test
	void floodOfRandomIdsAndAddressesStaysWithinTheBound() {
		for (int i = 0; i < 50_000; i++) {
			this.limiter.failed("10.0." + (i % 250) + "." + (i / 250 % 250), UUID.randomUUID().toString());
		}
		this.limiter.sources().cleanUp();
		this.limiter.pairs().cleanUp();
		assertThat(this.limiter.sources().estimatedSize()).isLessThanOrEqualTo(1_000);
		assertThat(this.limiter.pairs().estimatedSize()).isLessThanOrEqualTo(1_000);
	}

	@Test
	void entriesAreForgottenWhenTheirWindowEnds() {
		this.limiter.failed("10.0.0.1", "mailer");
		advance(Duration.ofMinutes(1));
		this.limiter.sources().cleanUp();
		this.limiter.pairs().cleanUp();
		assertThat(this.limiter.sources().estimatedSize()).isZero();
		assertThat(this.limiter.pairs().estimatedSize()).isZero();
	}

	private void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

}
