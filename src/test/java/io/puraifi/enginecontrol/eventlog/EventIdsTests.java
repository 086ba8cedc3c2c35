package io.puraifi.enginecontrol.eventlog;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.puraifi.enginecontrol.support.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event ids increase in the order they are given, as strings (which is how the store
 * sorts them) and as UUIDs, within a millisecond, past 4,096 in one millisecond, and when
 * the clock steps back.
 */
class EventIdsTests {

	private static final Instant NOW = Instant.parse("2026-11-27T12:00:00.123Z");

	@Test
	void idsGivenInTheSameMillisecondIncrease() {
		EventIds ids = new EventIds(Clock.fixed(NOW, ZoneOffset.UTC), new Random(1));
		assertIncreasing(take(ids, 10_000));
	}

	@Test
	void idsIncreaseWhenTheClockStepsBack() {
		MovableClock clock = new MovableClock(NOW);
		EventIds ids = new EventIds(clock, new Random(2));
		List<String> given = new ArrayList<>(take(ids, 3));
		clock.set(NOW.minusSeconds(60));
		given.addAll(take(ids, 3));
		clock.set(NOW.plusMillis(1));
		given.addAll(take(ids, 3));
		assertIncreasing(given);
	}

	@Test
	void idsFromTheServiceClockWhichTicksInMicroseconds() {
		Clock clock = Clock.tick(Clock.systemUTC(), java.time.Duration.ofNanos(1_000));
		assertIncreasing(take(new EventIds(clock), 100));
	}

	@Test
	void idIsAVersion7UuidCarryingTheMillisecond() {
		UUID id = UUID.fromString(new EventIds(Clock.fixed(NOW, ZoneOffset.UTC)).next());
		assertThat(id.version()).isEqualTo(7);
		assertThat(id.variant()).isEqualTo(2);
		assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(NOW.toEpochMilli());
	}

	private static List<String> take(EventIds ids, int count) {
		List<String> given = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			given.add(ids.next());
		}
		return given;
	}

	private static void assertIncreasing(List<String> given) {
		for (int i = 1; i < given.size(); i++) {
			assertThat(given.get(i)).as("id %d", i).isGreaterThan(given.get(i - 1));
			assertThat(UUID.fromString(given.get(i))).as("id %d", i).isGreaterThan(UUID.fromString(given.get(i - 1)));
		}
	}

}
