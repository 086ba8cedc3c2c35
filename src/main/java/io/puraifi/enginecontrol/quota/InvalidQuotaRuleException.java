package io.puraifi.enginecontrol.quota;

import java.util.List;

/**
 * A quota rule that breaks one or more rules of {@link QuotaRuleInput}.
 */
public class InvalidQuotaRuleException extends IllegalArgumentException {

	private final List<QuotaViolation> violations;

	public InvalidQuotaRuleException(List<QuotaViolation> violations) {
		super(describe(violations));
		this.violations = List.copyOf(violations);
	}

	/**
	 * Every refused field.
	 * @return the violations, at least one
	 */
	public List<QuotaViolation> violations() {
		return this.violations;
	}

	private static String describe(List<QuotaViolation> violations) {
		StringBuilder message = new StringBuilder("Invalid quota rule:");
		for (QuotaViolation violation : violations) {
			message.append(' ').append(violation.field()).append(' ').append(violation.message()).append(';');
		}
		return message.toString();
	}

}
