package io.puraifi.enginecontrol.system;

import java.util.Map;

/**
 * An error that becomes an {@code application/problem+json} response of the given type.
 * The detail is shown to the caller, so it must never hold a secret or an internal
 * message.
 */
public class ProblemException extends RuntimeException {

	private final ProblemType type;

	private final Map<String, Object> properties;

	public ProblemException(ProblemType type, String detail) {
		this(type, detail, Map.of());
	}

	public ProblemException(ProblemType type, String detail, Map<String, Object> properties) {
		super(detail);
		this.type = type;
		this.properties = Map.copyOf(properties);
	}

	public ProblemType type() {
		return this.type;
	}

	public Map<String, Object> properties() {
		return this.properties;
	}

}
