package io.puraifi.enginecontrol.system;

import java.time.Duration;
import java.util.Map;

/**
 * An error that becomes an {@code application/problem+json} response of the given type.
 * The detail is shown to the caller, so it must never hold a secret or an internal
 * message.
 */
public class ProblemException extends RuntimeException {

	private final ProblemType type;

	private final Map<String, Object> properties;

	private final Duration retryAfter;

	public ProblemException(ProblemType type, String detail) {
		this(type, detail, Map.of());
	}

	public ProblemException(ProblemType type, String detail, Map<String, Object> properties) {
		this(type, detail, properties, null);
	}

	/**
	 * A problem whose response tells the caller when to try again.
	 * @param type the kind of problem
	 * @param detail what went wrong, safe to show to the caller
	 * @param properties extra members of the problem
	 * @param retryAfter sent as {@code Retry-After}, in whole seconds; or null
	 */
	public ProblemException(ProblemType type, String detail, Map<String, Object> properties, Duration retryAfter) {
		super(detail);
		this.type = type;
		this.properties = Map.copyOf(properties);
		this.retryAfter = retryAfter;
	}

	public ProblemType type() {
		return this.type;
	}

	public Map<String, Object> properties() {
		return this.properties;
	}

	/**
	 * How long the caller should wait before trying again, or null.
	 */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * A {@code Retry-After} value: whole seconds, rounded up, at least one.
	 * @param wait how long to wait
	 * @return the header value
	 */
	public static String retryAfterSeconds(Duration wait) {
		long seconds = wait.getSeconds() + ((wait.getNano() > 0) ? 1 : 0);
		return Long.toString(Math.max(1, seconds));
	}

}
