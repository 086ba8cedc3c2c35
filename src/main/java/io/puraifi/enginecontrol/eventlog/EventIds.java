package io.puraifi.enginecontrol.eventlog;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event ids that sort in the order the events were received: time-ordered UUIDs (version
 * 7, RFC 9562) whose 12 bits after the millisecond count up within a millisecond (method
 * 1 of section 6.2). Events are listed by (received_at, event_id), and every event of a
 * batch, or two requests in the same microsecond, share one received_at: with random ids
 * they came back in a random order, now in the order they were sent and stored. Ids from
 * one replica always increase; ids from different replicas order by their millisecond,
 * then at random.
 */
final class EventIds {

	private final Clock clock;

	private final Random random;

	/** The last id's millisecond and counter: {@code millis << 12 | counter}. */
	private final AtomicLong last = new AtomicLong();

	EventIds(Clock clock) {
		this(clock, new SecureRandom());
	}

	EventIds(Clock clock, Random random) {
		this.clock = clock;
		this.random = random;
	}

	/**
	 * A new id, greater than every id this generator gave before (as a UUID and as its
	 * lower-case string).
	 * @return the id
	 */
	String next() {
		// Not clock.millis(): the service clock ticks in microseconds, and Clock.tick's
		// millis() divides by zero for a tick under a millisecond (Java 17).
		long now = this.clock.instant().toEpochMilli() << 12;
		// A counter past 4095 carries into the millisecond: still increasing.
		long stamp = this.last.updateAndGet((previous) -> Math.max(now, previous + 1));
		long millis = stamp >>> 12;
		long counter = stamp & 0xFFF;
		long high = (millis << 16) | 0x7000L | counter;
		long low = (this.random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low).toString();
	}

}
