package io.puraifi.enginecontrol.budget;

import java.util.Map;

/**
 * What a budget limits. Each kind has its own bucket per engine.
 */
public enum BudgetKind {

	/**
	 * {@code /actions/check} (one token) and {@code /actions/check/batch} (one per item).
	 */
	CHECKS("checks"),

	/**
	 * {@code /log/engine_event} (one token) and {@code /log/engine_events} (one per
	 * event).
	 */
	EVENTS("events"),

	/** {@code /engines/validate} (one token). */
	VALIDATE("validate");

	private final String label;

	/** The members a refusal's problem carries, made once. */
	private final Map<String, Object> problemProperties;

	BudgetKind(String label) {
		this.label = label;
		// A refused check is not an answer, but a client reading `allowed` must not act.
		this.problemProperties = "checks".equals(label) ? Map.of("budget", label, "allowed", false)
				: Map.of("budget", label);
	}

	/**
	 * The name used in settings, metrics, logs and problems: {@code checks},
	 * {@code events} or {@code validate}.
	 */
	public String label() {
		return this.label;
	}

	Map<String, Object> problemProperties() {
		return this.problemProperties;
	}

}
