package io.puraifi.enginecontrol.quota;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A fixed window of a limit, aligned to UTC: windows of length {@code per} start at every
 * multiple of {@code per} since the epoch ({@code start = floor(epoch / per) * per}), so
 * {@code PT1H} windows start on the hour and {@code P1D} windows at midnight UTC. Every
 * replica computes the same window from the same instant, with no state.
 *
 * @param start the first instant of the window
 * @param end the first instant after it
 */
public record QuotaWindow(Instant start, Instant end) {

	/**
	 * The window of length {@code per} that holds {@code now}.
	 * @param now an instant
	 * @param per the window's length, whole seconds
	 * @return the window
	 */
	public static QuotaWindow of(Instant now, Duration per) {
		long perSeconds = per.getSeconds();
		long start = Math.floorDiv(now.getEpochSecond(), perSeconds) * perSeconds;
		return new QuotaWindow(Instant.ofEpochSecond(start), Instant.ofEpochSecond(start + perSeconds));
	}

	/**
	 * The window of length {@code per} that holds the clock's instant.
	 * @param clock the clock
	 * @param per the window's length, whole seconds
	 * @return the window
	 */
	public static QuotaWindow current(Clock clock, Duration per) {
		return of(clock.instant(), per);
	}

	/**
	 * Whether the window holds an instant.
	 * @param instant the instant
	 * @return whether {@code start <= instant < end}
	 */
	public boolean contains(Instant instant) {
		return !instant.isBefore(this.start) && instant.isBefore(this.end);
	}

	/**
	 * How long from {@code now} until the window ends: when a limit that is full in this
	 * window has units again.
	 * @param now an instant in the window
	 * @return the time left, positive
	 */
	public Duration timeLeft(Instant now) {
		return Duration.between(now, this.end);
	}

	/**
	 * {@link #timeLeft(Instant)} in whole seconds, rounded up: the {@code retry_after} of
	 * a check denied by a limit full in this window. A retry after that many seconds
	 * falls in the next window.
	 * @param now an instant in the window
	 * @return seconds, at least 1
	 */
	public long retryAfterSeconds(Instant now) {
		Duration left = timeLeft(now);
		long seconds = left.getSeconds() + ((left.getNano() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

}
