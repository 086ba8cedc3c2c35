package io.puraifi.enginecontrol.budget;

import io.puraifi.enginecontrol.system.EngineControlProperties;

/**
 * The budget in force for an engine: a rate and a burst for each {@link BudgetKind}.
 *
 * @param checks the checks bucket
 * @param events the events bucket
 * @param validate the validations bucket
 */
public record Budget(Rate checks, Rate events, Rate validate) {

	/**
	 * The configured defaults with an override's numbers in place of theirs.
	 * @param defaults the configured budgets
	 * @param override the override, {@link BudgetSettings#NONE} for none
	 * @return the budget in force
	 */
	public static Budget of(EngineControlProperties.Budgets defaults, BudgetSettings override) {
		return new Budget(
				new Rate(or(override.checksPerSecond(), defaults.checksPerSecond()),
						or(override.checksBurst(), defaults.checksBurst())),
				new Rate(or(override.eventsPerSecond(), defaults.eventsPerSecond()),
						or(override.eventsBurst(), defaults.eventsBurst())),
				new Rate(or(override.validatePerSecond(), defaults.validatePerSecond()),
						or(override.validateBurst(), defaults.validateBurst())));
	}

	/**
	 * The bucket of one kind.
	 */
	public Rate of(BudgetKind kind) {
		return switch (kind) {
			case CHECKS -> this.checks;
			case EVENTS -> this.events;
			case VALIDATE -> this.validate;
		};
	}

	private static int or(Integer value, int fallback) {
		return (value != null) ? value : fallback;
	}

	/**
	 * One token bucket: it holds at most {@code burst} tokens and refills continuously at
	 * {@code perSecond}.
	 *
	 * @param perSecond tokens added per second
	 * @param burst most tokens held
	 */
	public record Rate(int perSecond, int burst) {
	}

}
