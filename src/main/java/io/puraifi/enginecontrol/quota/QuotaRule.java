package io.puraifi.enginecontrol.quota;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.puraifi.enginecontrol.system.Names;

/**
 * A quota rule: checks of an action by an engine that may be allowed per window. A rule
 * that is constructed is valid; {@link QuotaRuleInput} turns a request into one, naming
 * every refused field.
 *
 * @param name the rule's name, like a flag name ({@code mailer-email})
 * @param engineId the engine it limits, or null for every engine, each counted on its own
 * @param platform the platform of the limited action
 * @param actionType the limited action, or {@code "*"} for every action of the platform
 * @param limits one to five limits, no two with the same window length; a check is
 * allowed only when every limit has a unit for it
 * @param mode whether the rule denies or only reports
 */
public record QuotaRule(String name, String engineId, String platform, String actionType, List<QuotaLimit> limits,
		QuotaMode mode) {

	/**
	 * The action type that matches every action of the platform.
	 */
	public static final String EVERY_ACTION = "*";

	/**
	 * Most limits in one rule.
	 */
	public static final int MAX_LIMITS = 5;

	public QuotaRule {
		limits = (limits != null) ? List.copyOf(limits) : null;
		List<QuotaViolation> violations = violations(name, engineId, platform, actionType, limits, mode);
		if (!violations.isEmpty()) {
			throw new InvalidQuotaRuleException(violations);
		}
	}

	/**
	 * Whether a check of this action by this engine counts against the rule.
	 * @param checkedEngineId the engine that asks
	 * @param checkedPlatform the platform of the action
	 * @param checkedActionType the action
	 * @return whether the rule applies
	 */
	public boolean appliesTo(String checkedEngineId, String checkedPlatform, String checkedActionType) {
		return (this.engineId == null || this.engineId.equals(checkedEngineId)) && this.platform.equals(checkedPlatform)
				&& (EVERY_ACTION.equals(this.actionType) || this.actionType.equals(checkedActionType));
	}

	static List<QuotaViolation> violations(String name, String engineId, String platform, String actionType,
			List<QuotaLimit> limits, QuotaMode mode) {
		List<QuotaViolation> violations = new ArrayList<>();
		if (!Names.isSettingName(name)) {
			violations.add(new QuotaViolation("name", Names.SETTING_NAME_RULE));
		}
		if (engineId != null && !Names.isEngineId(engineId)) {
			violations.add(new QuotaViolation("engine_id", Names.ENGINE_ID_RULE));
		}
		if (!Names.isName(platform)) {
			violations.add(new QuotaViolation("platform", Names.NAME_RULE));
		}
		if (actionType == null || (!EVERY_ACTION.equals(actionType) && !Names.isName(actionType))) {
			violations.add(new QuotaViolation("action_type",
					"must be \"*\" (every action of the platform) or an action name, which " + Names.NAME_RULE));
		}
		if (limits == null || limits.isEmpty() || limits.size() > MAX_LIMITS) {
			violations.add(new QuotaViolation("limits", "must hold 1 to " + MAX_LIMITS + " limits"));
		}
		else {
			Map<Duration, Integer> seen = new HashMap<>();
			for (int i = 0; i < limits.size(); i++) {
				QuotaLimit limit = limits.get(i);
				if (limit == null) {
					violations.add(new QuotaViolation("limits[" + i + "]", "must not be null"));
					continue;
				}
				Integer earlier = seen.putIfAbsent(limit.per(), i);
				if (earlier != null) {
					violations.add(new QuotaViolation("limits[" + i + "].per",
							"must differ from limits[" + earlier + "].per: one limit per window length"));
				}
			}
		}
		if (mode == null) {
			violations.add(new QuotaViolation("mode", "must be enforce or shadow"));
		}
		return violations;
	}

}
