package io.puraifi.enginecontrol.budget;

import java.util.ArrayList;
import java.util.List;

/**
 * An operator's override of an engine's budget: each number that is null takes the
 * configured default.
 *
 * @param checksPerSecond checks per second
 * @param checksBurst checks at once
 * @param eventsPerSecond events per second
 * @param eventsBurst events at once
 * @param validatePerSecond validations per second
 * @param validateBurst validations at once
 */
public record BudgetSettings(Integer checksPerSecond, Integer checksBurst, Integer eventsPerSecond, Integer eventsBurst,
		Integer validatePerSecond, Integer validateBurst) {

	/** No override: every number is the default. */
	public static final BudgetSettings NONE = new BudgetSettings(null, null, null, null, null, null);

	/**
	 * The fields this override sets, named as in the API.
	 */
	public List<String> overridden() {
		List<String> names = new ArrayList<>();
		add(names, "checks_per_second", this.checksPerSecond);
		add(names, "checks_burst", this.checksBurst);
		add(names, "events_per_second", this.eventsPerSecond);
		add(names, "events_burst", this.eventsBurst);
		add(names, "validate_per_second", this.validatePerSecond);
		add(names, "validate_burst", this.validateBurst);
		return names;
	}

	private static void add(List<String> names, String name, Integer value) {
		if (value != null) {
			names.add(name);
		}
	}

}
