package io.puraifi.enginecontrol.quota;

import java.time.Duration;

/**
 * At most {@code max} allowed checks in each window of length {@code per}. Windows are
 * fixed and aligned to UTC: see {@link QuotaWindow}.
 *
 * @param max allowed checks per window, at least 1
 * @param per the window's length: whole seconds, from {@link #MIN_PER} to
 * {@link #MAX_PER}
 */
public record QuotaLimit(long max, Duration per) {

	/**
	 * The shortest window.
	 */
	public static final Duration MIN_PER = Duration.ofSeconds(1);

	/**
	 * The longest window.
	 */
	public static final Duration MAX_PER = Duration.ofDays(366);

	public QuotaLimit {
		String problem = maxProblem(max);
		if (problem == null) {
			problem = perProblem(per);
		}
		if (problem != null) {
			throw new IllegalArgumentException(problem);
		}
	}

	/**
	 * The window's length in seconds.
	 * @return seconds
	 */
	public long perSeconds() {
		return this.per.getSeconds();
	}

	/**
	 * The window's length as an ISO-8601 duration, in days when it is whole days
	 * ({@code P1D}, not {@link Duration#toString()}'s {@code PT24H}), for answers.
	 * @return the duration text
	 */
	public String perText() {
		long seconds = this.per.getSeconds();
		return (seconds % 86_400 == 0) ? "P" + (seconds / 86_400) + "D" : this.per.toString();
	}

	static String maxProblem(long max) {
		return (max < 1) ? "must be at least 1" : null;
	}

	static String perProblem(Duration per) {
		if (per == null) {
			return "must not be null";
		}
		if (per.getNano() != 0) {
			return "must be a whole number of seconds";
		}
		if (per.compareTo(MIN_PER) < 0 || per.compareTo(MAX_PER) > 0) {
			return "must be from PT1S to P366D";
		}
		return null;
	}

}
