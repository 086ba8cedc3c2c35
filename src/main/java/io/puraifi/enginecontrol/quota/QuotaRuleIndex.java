package io.puraifi.enginecontrol.quota;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of every rule, indexed by platform, so a check finds the rules
 * that apply to it without a store and without scanning rules of other platforms. Build a
 * new one when a rule changes.
 */
public final class QuotaRuleIndex {

	private static final QuotaRuleIndex EMPTY = new QuotaRuleIndex(List.of());

	private final List<QuotaRule> all;

	private final Map<String, List<QuotaRule>> byPlatform;

	private QuotaRuleIndex(Collection<QuotaRule> rules) {
		List<QuotaRule> sorted = new ArrayList<>(rules);
		sorted.sort(Comparator.comparing(QuotaRule::name));
		this.all = List.copyOf(sorted);
		Map<String, List<QuotaRule>> byPlatform = new HashMap<>();
		for (QuotaRule rule : this.all) {
			byPlatform.computeIfAbsent(rule.platform(), (platform) -> new ArrayList<>()).add(rule);
		}
		byPlatform.replaceAll((platform, list) -> List.copyOf(list));
		this.byPlatform = Map.copyOf(byPlatform);
	}

	/**
	 * An index of rules.
	 * @param rules the rules, with distinct names
	 * @return the index
	 */
	public static QuotaRuleIndex of(Collection<QuotaRule> rules) {
		return rules.isEmpty() ? EMPTY : new QuotaRuleIndex(rules);
	}

	/**
	 * The rules that apply to a check.
	 * @param engineId the engine that asks
	 * @param platform the action's platform
	 * @param actionType the action
	 * @return the rules, sorted by name (the order in which a check consumes them)
	 */
	public List<QuotaRule> matching(String engineId, String platform, String actionType) {
		List<QuotaRule> candidates = this.byPlatform.getOrDefault(platform, List.of());
		if (candidates.isEmpty()) {
			return List.of();
		}
		// A list only once a rule matches: checks of other engines or actions allocate
		// nothing.
		List<QuotaRule> matching = null;
		for (QuotaRule rule : candidates) {
			if (rule.appliesTo(engineId, platform, actionType)) {
				if (matching == null) {
					matching = new ArrayList<>(candidates.size());
				}
				matching.add(rule);
			}
		}
		return (matching != null) ? matching : List.of();
	}

	/**
	 * The rules that count an engine's checks: those naming it and those of every engine;
	 * what the engine may see of the quotas.
	 * @param engineId the engine
	 * @return the rules, sorted by name
	 */
	public List<QuotaRule> forEngine(String engineId) {
		return this.all.stream().filter((rule) -> rule.engineId() == null || rule.engineId().equals(engineId)).toList();
	}

	/**
	 * Every rule.
	 * @return the rules, sorted by name
	 */
	public List<QuotaRule> all() {
		return this.all;
	}

}
