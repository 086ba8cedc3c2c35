package io.puraifi.enginecontrol.budget;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.puraifi.enginecontrol.system.Timestamps;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcBudgetRepository implements BudgetRepository {

	private static final String COLUMNS = """
			engine_id, checks_per_second, checks_burst, events_per_second, events_burst, validate_per_second, \
			validate_burst, updated_at""";

	private static final String SELECT_ALL = "select " + COLUMNS + " from engine_budget";

	private static final String SELECT_ONE = SELECT_ALL + " where engine_id = :engineId";

	private static final String UPDATE = """
			update engine_budget set checks_per_second = :checksPerSecond, checks_burst = :checksBurst,
			    events_per_second = :eventsPerSecond, events_burst = :eventsBurst,
			    validate_per_second = :validatePerSecond, validate_burst = :validateBurst, updated_at = :updatedAt
			where engine_id = :engineId""";

	private static final String INSERT = """
			insert into engine_budget (%s)
			values (:engineId, :checksPerSecond, :checksBurst, :eventsPerSecond, :eventsBurst, :validatePerSecond,
			    :validateBurst, :updatedAt)""".formatted(COLUMNS);

	private static final String DELETE = """
			delete from engine_budget where engine_id = :engineId""";

	private final JdbcClient jdbc;

	JdbcBudgetRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Map<String, BudgetOverride> findAll() {
		Map<String, BudgetOverride> overrides = new HashMap<>();
		this.jdbc.sql(SELECT_ALL)
			.query(JdbcBudgetRepository::map)
			.list()
			.forEach((o) -> overrides.put(o.engineId(), o));
		return overrides;
	}

	@Override
	public Optional<BudgetOverride> find(String engineId) {
		return this.jdbc.sql(SELECT_ONE).param("engineId", engineId).query(JdbcBudgetRepository::map).optional();
	}

	/**
	 * Update, then insert when there was no row. Runs inside the change's transaction
	 * ({@code Changes.write}), which serialises writers on the store revision row.
	 */
	@Override
	public void save(String engineId, BudgetSettings settings, Instant now) {
		if (bind(this.jdbc.sql(UPDATE), engineId, settings, now).update() == 0) {
			bind(this.jdbc.sql(INSERT), engineId, settings, now).update();
		}
	}

	@Override
	public boolean delete(String engineId) {
		return this.jdbc.sql(DELETE).param("engineId", engineId).update() == 1;
	}

	private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, String engineId,
			BudgetSettings settings, Instant now) {
		return statement.param("engineId", engineId)
			.param("checksPerSecond", settings.checksPerSecond(), Types.INTEGER)
			.param("checksBurst", settings.checksBurst(), Types.INTEGER)
			.param("eventsPerSecond", settings.eventsPerSecond(), Types.INTEGER)
			.param("eventsBurst", settings.eventsBurst(), Types.INTEGER)
			.param("validatePerSecond", settings.validatePerSecond(), Types.INTEGER)
			.param("validateBurst", settings.validateBurst(), Types.INTEGER)
			.param("updatedAt", Timestamps.toColumn(now));
	}

	private static BudgetOverride map(ResultSet rs, int row) throws SQLException {
		return new BudgetOverride(rs.getString("engine_id"),
				new BudgetSettings(rs.getObject("checks_per_second", Integer.class),
						rs.getObject("checks_burst", Integer.class), rs.getObject("events_per_second", Integer.class),
						rs.getObject("events_burst", Integer.class), rs.getObject("validate_per_second", Integer.class),
						rs.getObject("validate_burst", Integer.class)),
				Timestamps.fromColumn(rs, "updated_at"));
	}

}
