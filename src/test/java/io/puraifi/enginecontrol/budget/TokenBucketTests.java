package io.puraifi.enginecontrol.budget;

import java.math.BigInteger;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTests {

	/**
	 * Set {@code -Dtoken-bucket.seed=...} to try other cases; a failure names its seed.
	 */
	private static final long SEED = Long.getLong("token-bucket.seed", 20261127L);

	private static final long SECOND = 1_000_000_000L;

	@Test
	void holdsItsBurstAndRefillsAtItsRate() {
		TokenBucket bucket = new TokenBucket(new Budget.Rate(1000, 2000), 0);
		assertThat(bucket.tryTake(2000, 0)).isTrue();
		assertThat(bucket.tryTake(1, 0)).isFalse();
		assertThat(bucket.nanosUntil(1, 0)).isEqualTo(1_000_000);
		assertThat(bucket.tryTake(1, 999_999)).isFalse();
		assertThat(bucket.tryTake(1, 1_000_000)).isTrue();
		assertThat(bucket.available(SECOND + 1_000_000)).isEqualTo(1000);
		assertThat(bucket.available(10 * SECOND)).isEqualTo(2000);
	}

	@Test
	void aRefusedTakeTakesNothing() {
		TokenBucket bucket = new TokenBucket(new Budget.Rate(1, 5), 0);
		assertThat(bucket.tryTake(2, 0)).isTrue();
		assertThat(bucket.tryTake(4, 0)).isFalse();
		assertThat(bucket.tryTake(3, 0)).isTrue();
	}

	@Test
	void aLongIdleTimeFillsTheBucketWithoutOverflow() {
		TokenBucket bucket = new TokenBucket(new Budget.Rate(1_000_000, 10_000_000), 0);
		assertThat(bucket.tryTake(10_000_000, 0)).isTrue();
		assertThat(bucket.available(Long.MAX_VALUE / 2)).isEqualTo(10_000_000);
	}

	@Test
	void aClockThatGoesBackAddsNothing() {
		TokenBucket bucket = new TokenBucket(new Budget.Rate(10, 10), SECOND);
		assertThat(bucket.tryTake(10, SECOND)).isTrue();
		assertThat(bucket.available(0)).isZero();
		assertThat(bucket.available(SECOND)).isZero();
	}

	/**
	 * Random rates, bursts, takes and time steps: what is taken over any run never
	 * exceeds the burst plus what the rate brings in the elapsed time; the bucket never
	 * holds more than its burst; and the wait it announces is exact: after it the take
	 * succeeds, a nanosecond before it fails.
	 */
	@Test
	void neverGivesMoreThanTheRateAndBurstAllowAndItsWaitsAreExact() {
		SplittableRandom random = new SplittableRandom(SEED);
		for (int run = 0; run < 500; run++) {
			int perSecond = 1 + random.nextInt(random.nextBoolean() ? 10 : 1_000_000);
			int burst = 1 + random.nextInt(random.nextBoolean() ? 10 : 10_000_000);
			long start = random.nextLong(Long.MAX_VALUE / 4);
			TokenBucket bucket = new TokenBucket(new Budget.Rate(perSecond, burst), start);
			long now = start;
			long taken = 0;
			for (int step = 0; step < 200; step++) {
				now += random.nextBoolean() ? random.nextLong(1_000) : random.nextLong(2 * SECOND);
				int tokens = 1 + random.nextInt(burst);
				if (bucket.tryTake(tokens, now)) {
					taken += tokens;
				}
				assertThat(bucket.available(now)).as("seed %d", SEED).isBetween(0L, (long) burst);
				// taken <= burst + perSecond * elapsed seconds, in exact integers
				assertThat(BigInteger.valueOf(taken - burst).multiply(BigInteger.valueOf(SECOND))).as("seed %d", SEED)
					.isLessThanOrEqualTo(BigInteger.valueOf(perSecond).multiply(BigInteger.valueOf(now - start)));
				if (random.nextInt(10) == 0) {
					long wait = bucket.nanosUntil(tokens, now);
					if (wait > 0) {
						assertThat(bucket.tryTake(tokens, now + wait - 1)).as("seed %d", SEED).isFalse();
					}
					assertThat(bucket.tryTake(tokens, now + wait)).as("seed %d", SEED).isTrue();
					taken += tokens;
					now += wait;
				}
			}
		}
	}

}
