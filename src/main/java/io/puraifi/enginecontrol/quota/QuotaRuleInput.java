package io.puraifi.enginecontrol.quota;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A quota rule as a caller writes it, before validation: the body of {@code PUT
 * /admin/quotas/{name}}. {@link #toRule(String)} checks every field and names each one it
 * refuses.
 *
 * @param engineId the engine it limits; absent for every engine, each counted on its own
 * @param platform the platform of the limited action
 * @param actionType the limited action, or {@code "*"}
 * @param limits one to five limits
 * @param mode {@code enforce} or {@code shadow}; absent means {@code enforce}
 */
public record QuotaRuleInput(String engineId, String platform, String actionType, List<LimitInput> limits,
		String mode) {

	/**
	 * A limit as written.
	 *
	 * @param max allowed checks per window
	 * @param per the window's length as an ISO-8601 duration ({@code PT1H}, {@code P1D})
	 */
	public record LimitInput(Long max, String per) {
	}

	/**
	 * The rule, once every field is valid.
	 * @param name the rule's name
	 * @return the rule
	 * @throws InvalidQuotaRuleException naming every refused field
	 */
	public QuotaRule toRule(String name) {
		List<QuotaViolation> violations = new ArrayList<>();
		List<QuotaLimit> parsedLimits = parseLimits(violations);
		QuotaMode parsedMode = (this.mode != null) ? QuotaMode.of(this.mode).orElse(null) : QuotaMode.ENFORCE;
		List<QuotaViolation> ruleViolations = QuotaRule.violations(name, this.engineId, this.platform, this.actionType,
				(parsedLimits != null && violations.isEmpty()) ? parsedLimits : List.of(), parsedMode);
		boolean limitsReported = !violations.isEmpty();
		for (QuotaViolation violation : ruleViolations) {
			// limits already refused field by field are not refused again as a whole
			if (!limitsReported || !violation.field().equals("limits")) {
				violations.add(violation);
			}
		}
		if (!violations.isEmpty()) {
			throw new InvalidQuotaRuleException(violations);
		}
		return new QuotaRule(name, this.engineId, this.platform, this.actionType, parsedLimits, parsedMode);
	}

	private List<QuotaLimit> parseLimits(List<QuotaViolation> violations) {
		if (this.limits == null || this.limits.isEmpty() || this.limits.size() > QuotaRule.MAX_LIMITS) {
			return null;
		}
		List<QuotaLimit> parsed = new ArrayList<>();
		for (int i = 0; i < this.limits.size(); i++) {
			LimitInput limit = this.limits.get(i);
			String field = "limits[" + i + "]";
			if (limit == null) {
				violations.add(new QuotaViolation(field, "must not be null"));
				continue;
			}
			String maxProblem = (limit.max() != null) ? QuotaLimit.maxProblem(limit.max()) : "must not be null";
			if (maxProblem != null) {
				violations.add(new QuotaViolation(field + ".max", maxProblem));
			}
			Duration per = parsePer(limit.per(), field + ".per", violations);
			if (maxProblem == null && per != null) {
				parsed.add(new QuotaLimit(limit.max(), per));
			}
		}
		return parsed;
	}

	private static Duration parsePer(String per, String field, List<QuotaViolation> violations) {
		if (per == null) {
			violations.add(new QuotaViolation(field, "must not be null"));
			return null;
		}
		Duration duration;
		try {
			duration = Duration.parse(per);
		}
		catch (DateTimeParseException ex) {
			violations.add(new QuotaViolation(field, "must be an ISO-8601 duration such as PT1H or P1D"));
			return null;
		}
		String problem = QuotaLimit.perProblem(duration);
		if (problem != null) {
			violations.add(new QuotaViolation(field, problem));
			return null;
		}
		return duration;
	}

}
