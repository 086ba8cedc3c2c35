package io.puraifi.enginecontrol.quota;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

@Repository
class JdbcQuotaRuleRepository implements QuotaRuleRepository {

	private static final String SELECT_RULE = """
			select name, engine_id, platform, action_type, mode from quota_rule where name = :name""";

	private static final String SELECT_RULES = """
			select name, engine_id, platform, action_type, mode from quota_rule""";

	private static final String SELECT_LIMITS = """
			select per_seconds, max_units from quota_limit where rule_name = :name order by per_seconds""";

	private static final String SELECT_ALL_LIMITS = """
			select rule_name, per_seconds, max_units from quota_limit order by rule_name, per_seconds""";

	private static final String UPDATE_RULE = """
			update quota_rule set engine_id = :engineId, platform = :platform, action_type = :actionType,
			mode = :mode where name = :name""";

	private static final String INSERT_RULE = """
			insert into quota_rule (name, engine_id, platform, action_type, mode)
			values (:name, :engineId, :platform, :actionType, :mode)""";

	private static final String DELETE_LIMITS = """
			delete from quota_limit where rule_name = :name""";

	private static final String INSERT_LIMIT = """
			insert into quota_limit (rule_name, per_seconds, max_units) values (:name, :perSeconds, :max)""";

	private static final String DELETE_RULE = """
			delete from quota_rule where name = :name""";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	JdbcQuotaRuleRepository(JdbcClient jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	@Override
	public Optional<QuotaRule> find(String name) {
		return this.transactions.execute((status) -> this.jdbc.sql(SELECT_RULE)
			.param("name", name)
			.query((rs, row) -> new RuleRow(rs.getString("name"), rs.getString("engine_id"), rs.getString("platform"),
					rs.getString("action_type"), rs.getString("mode")))
			.optional()
			.map((rule) -> rule.toRule(this.jdbc.sql(SELECT_LIMITS)
				.param("name", name)
				.query((rs, row) -> new QuotaLimit(rs.getLong("max_units"),
						Duration.ofSeconds(rs.getLong("per_seconds"))))
				.list())));
	}

	@Override
	public List<QuotaRule> list() {
		return this.transactions.execute((status) -> {
			Map<String, List<QuotaLimit>> limits = new LinkedHashMap<>();
			this.jdbc.sql(SELECT_ALL_LIMITS).query((rs) -> {
				limits.computeIfAbsent(rs.getString("rule_name"), (name) -> new ArrayList<>())
					.add(new QuotaLimit(rs.getLong("max_units"), Duration.ofSeconds(rs.getLong("per_seconds"))));
			});
			return this.jdbc.sql(SELECT_RULES)
				.query((rs, row) -> new RuleRow(rs.getString("name"), rs.getString("engine_id"),
						rs.getString("platform"), rs.getString("action_type"), rs.getString("mode")))
				.list()
				.stream()
				.map((rule) -> rule.toRule(limits.getOrDefault(rule.name(), List.of())))
				.sorted(Comparator.comparing(QuotaRule::name))
				.toList();
		});
	}

	@Override
	public void save(QuotaRule rule) {
		this.transactions.executeWithoutResult((status) -> {
			int updated = this.jdbc.sql(UPDATE_RULE)
				.param("engineId", rule.engineId())
				.param("platform", rule.platform())
				.param("actionType", rule.actionType())
				.param("mode", rule.mode().value())
				.param("name", rule.name())
				.update();
			if (updated == 0) {
				this.jdbc.sql(INSERT_RULE)
					.param("name", rule.name())
					.param("engineId", rule.engineId())
					.param("platform", rule.platform())
					.param("actionType", rule.actionType())
					.param("mode", rule.mode().value())
					.update();
			}
			this.jdbc.sql(DELETE_LIMITS).param("name", rule.name()).update();
			for (QuotaLimit limit : rule.limits()) {
				this.jdbc.sql(INSERT_LIMIT)
					.param("name", rule.name())
					.param("perSeconds", limit.perSeconds())
					.param("max", limit.max())
					.update();
			}
		});
	}

	@Override
	public boolean delete(String name) {
		// quota_limit rows go with the rule (on delete cascade)
		return this.jdbc.sql(DELETE_RULE).param("name", name).update() == 1;
	}

	private record RuleRow(String name, String engineId, String platform, String actionType, String mode) {

		QuotaRule toRule(List<QuotaLimit> limits) {
			return new QuotaRule(this.name, this.engineId, this.platform, this.actionType, limits,
					QuotaMode.of(this.mode).orElseThrow());
		}

	}

}
