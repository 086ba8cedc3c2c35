package io.puraifi.enginecontrol.quota;

import java.util.List;
import java.util.Optional;

/**
 * Durable store of quota rules.
 */
public interface QuotaRuleRepository {

	Optional<QuotaRule> find(String name);

	/**
	 * Every rule.
	 * @return the rules, sorted by name
	 */
	List<QuotaRule> list();

	/**
	 * Creates a rule or replaces the one with its name, limits included. Usage already
	 * counted under the name is kept.
	 * @param rule the rule
	 */
	void save(QuotaRule rule);

	/**
	 * Removes a rule. Its usage rows stay until their windows end, so a rule deleted and
	 * created again within a window keeps counting.
	 * @param name the rule's name
	 * @return false when there was no such rule
	 */
	boolean delete(String name);

}
