package io.puraifi.enginecontrol.quota;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.puraifi.enginecontrol.audit.AuditTrail;
import io.puraifi.enginecontrol.platform.Platform;
import io.puraifi.enginecontrol.platform.PlatformCatalog;
import io.puraifi.enginecontrol.propagation.ChangeKind;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.stereotype.Component;

/**
 * The quota rules: every rule is held in memory as a {@link QuotaRuleIndex}, so a check
 * finds its rules without the store; an operator's write goes through {@link Changes}
 * ({@link ChangeKind#QUOTA}), and every replica that applies it rebuilds its index and
 * gives back the units its ledger held under that rule.
 */
@Component
public class QuotaRules {

	private final QuotaRuleRepository repository;

	private final QuotaUsageRepository usage;

	private final QuotaLedger ledger;

	private final PlatformCatalog catalog;

	private final Changes changes;

	private final AuditTrail audit;

	private final Clock clock;

	/** Every rule; replaced whole, never changed in place. */
	private volatile QuotaRuleIndex index;

	QuotaRules(QuotaRuleRepository repository, QuotaUsageRepository usage, QuotaLedger ledger, PlatformCatalog catalog,
			Changes changes, AuditTrail audit, Clock clock) {
		this.repository = repository;
		this.usage = usage;
		this.ledger = ledger;
		this.catalog = catalog;
		this.changes = changes;
		this.audit = audit;
		this.clock = clock;
		this.index = QuotaRuleIndex.of(repository.list());
		changes.subscribe(ChangeKind.QUOTA, this::reload, this::reloadAll);
	}

	/**
	 * The rules that apply to a check, from memory: an empty list (no allocation) when no
	 * rule names the platform.
	 * @param engineId the engine the check is for
	 * @param platform the platform
	 * @param actionType the action
	 * @return the rules, sorted by name
	 */
	public List<QuotaRule> matching(String engineId, String platform, String actionType) {
		return this.index.matching(engineId, platform, actionType);
	}

	/**
	 * The ledger that spends units of the rules.
	 * @return the ledger
	 */
	public QuotaLedger ledger() {
		return this.ledger;
	}

	/** Re-reads one rule after it changed, and gives back what was held under it. */
	private synchronized void reload(String name) {
		Map<String, QuotaRule> rules = new LinkedHashMap<>();
		for (QuotaRule rule : this.index.all()) {
			rules.put(rule.name(), rule);
		}
		this.repository.find(name).ifPresentOrElse((rule) -> rules.put(name, rule), () -> rules.remove(name));
		this.index = QuotaRuleIndex.of(rules.values());
		this.ledger.giveBack(name, this.clock.instant());
	}

	/** Re-reads every rule, when changes may have been missed. */
	private synchronized void reloadAll() {
		this.index = QuotaRuleIndex.of(this.repository.list());
		this.ledger.giveBackAll(this.clock.instant());
	}

	/**
	 * Every rule, read from the store.
	 * @return the rules, sorted by name
	 */
	public List<QuotaRule> list() {
		return this.repository.list();
	}

	/**
	 * One rule with its counters in the current windows, read from the store.
	 * @param name the rule's name
	 * @return the rule and its usage
	 * @throws ProblemException 404 when there is no such rule
	 */
	public RuleUsage find(String name) {
		QuotaRule rule = this.repository.find(name)
			.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No quota rule named '" + name + "'"));
		return new RuleUsage(rule, this.usage.current(name, this.clock.instant()));
	}

	/**
	 * The rules that count an engine's checks (its own and those of every engine), with
	 * its counters in the current windows: what the engine may see of the quotas.
	 * @param engineId the engine
	 * @return the rules and the engine's usage under each
	 */
	public List<RuleUsage> forEngine(String engineId) {
		Instant now = this.clock.instant();
		List<RuleUsage> rules = new ArrayList<>();
		for (QuotaRule rule : this.index.forEngine(engineId)) {
			rules.add(new RuleUsage(rule, this.usage.current(rule.name(), engineId, now)));
		}
		return rules;
	}

	/**
	 * Units this replica holds unspent for a counter, in its current window.
	 * @param rule the rule
	 * @param engineId the engine
	 * @param limit the limit
	 * @return units held here
	 */
	public long held(QuotaRule rule, String engineId, QuotaLimit limit) {
		return this.ledger.held(rule.name(), engineId, limit.per(), this.clock.instant());
	}

	/**
	 * Creates or replaces a rule; every replica applies it within the propagation bound.
	 * @param name the rule's name
	 * @param input the rule as written
	 * @return the rule
	 * @throws ProblemException 400 naming every refused field; 422 when the catalog has
	 * no such platform or action
	 */
	public QuotaRule put(String name, QuotaRuleInput input) {
		QuotaRule rule;
		try {
			rule = input.toRule(name);
		}
		catch (InvalidQuotaRuleException ex) {
			List<Map<String, String>> errors = new ArrayList<>();
			for (QuotaViolation violation : ex.violations()) {
				errors.add(Map.of("field", violation.field(), "message", violation.message()));
			}
			throw new ProblemException(ProblemType.INVALID_REQUEST, "The quota rule is invalid",
					Map.of("errors", errors));
		}
		requireKnown(rule);
		return this.changes.write(ChangeKind.QUOTA, name, () -> {
			Optional<QuotaRule> before = this.repository.find(name);
			this.repository.save(rule);
			this.audit.record("quota.set", "quota", name, before.map(RuleView::of).orElse(null), RuleView.of(rule));
			return rule;
		});
	}

	/**
	 * Removes a rule; every replica applies it within the propagation bound and gives
	 * back the units it held under it.
	 * @param name the rule's name
	 * @throws ProblemException 404 when there is no such rule
	 */
	public void delete(String name) {
		this.changes.run(ChangeKind.QUOTA, name, () -> {
			QuotaRule before = this.repository.find(name)
				.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No quota rule named '" + name + "'"));
			this.repository.delete(name);
			this.audit.record("quota.delete", "quota", name, RuleView.of(before), null);
		});
	}

	/**
	 * A rule naming a platform or action the catalog lacks would never count a check: it
	 * is refused like unknown capabilities, so a typo does not pass for a limit.
	 */
	private void requireKnown(QuotaRule rule) {
		Platform platform = this.catalog.find(rule.platform()).orElse(null);
		String unknown = null;
		if (platform == null) {
			unknown = rule.platform();
		}
		else if (!QuotaRule.EVERY_ACTION.equals(rule.actionType())
				&& platform.requiredScopes(rule.actionType()) == null) {
			unknown = rule.platform() + "." + rule.actionType();
		}
		if (unknown != null) {
			throw new ProblemException(ProblemType.UNKNOWN_CAPABILITIES, "The catalog has no " + unknown,
					Map.of("unknown", List.of(unknown)));
		}
	}

	/**
	 * A rule and counters of it in the current windows.
	 *
	 * @param rule the rule
	 * @param usage the counters
	 */
	public record RuleUsage(QuotaRule rule, List<QuotaUsage> usage) {
	}

	/**
	 * A rule as the audit trail keeps it, in the shape of the request.
	 */
	record RuleView(String engineId, String platform, String actionType, List<Map<String, Object>> limits,
			String mode) {

		static RuleView of(QuotaRule rule) {
			List<Map<String, Object>> limits = new ArrayList<>();
			for (QuotaLimit limit : rule.limits()) {
				Map<String, Object> written = new LinkedHashMap<>();
				written.put("max", limit.max());
				written.put("per", limit.perText());
				limits.add(written);
			}
			return new RuleView(rule.engineId(), rule.platform(), rule.actionType(), limits, rule.mode().value());
		}

	}

}
