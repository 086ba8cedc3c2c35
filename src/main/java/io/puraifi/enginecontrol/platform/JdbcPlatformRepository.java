package io.puraifi.enginecontrol.platform;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import io.puraifi.enginecontrol.system.Timestamps;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

@Repository
class JdbcPlatformRepository implements PlatformRepository {

	private static final String SELECT_PLATFORMS = """
			select platform, display_name, version, status, status_message, updated_at
			from platform order by platform""";

	private static final String SELECT_PLATFORM = """
			select platform, display_name, version, status, status_message, updated_at
			from platform where platform = :platform""";

	private static final String SELECT_ACTIONS = """
			select platform, action_type, required_scopes from platform_action""";

	private static final String SELECT_PLATFORM_ACTIONS = """
			select platform, action_type, required_scopes from platform_action where platform = :platform""";

	private static final String UPDATE_DEFINITION = """
			update platform set display_name = :displayName, version = :version, updated_at = :updatedAt
			where platform = :platform""";

	private static final String INSERT_PLATFORM = """
			insert into platform (platform, display_name, version, status, updated_at)
			values (:platform, :displayName, :version, 'AVAILABLE', :updatedAt)""";

	private static final String DELETE_ACTIONS = """
			delete from platform_action where platform = :platform""";

	private static final String INSERT_ACTION = """
			insert into platform_action (platform, action_type, required_scopes)
			values (:platform, :actionType, :requiredScopes)""";

	private static final String UPDATE_STATUS = """
			update platform set status = :status, status_message = :message, updated_at = :updatedAt
			where platform = :platform""";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	JdbcPlatformRepository(JdbcClient jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	@Override
	public List<Platform> findAll() {
		Map<String, SortedMap<String, List<String>>> actions = new HashMap<>();
		this.jdbc.sql(SELECT_ACTIONS).query((rs) -> {
			addAction(actions, rs);
		});
		return this.jdbc.sql(SELECT_PLATFORMS)
			.query((rs, row) -> platform(rs, actions.getOrDefault(rs.getString("platform"), new TreeMap<>())))
			.list();
	}

	@Override
	public Optional<Platform> findByName(String name) {
		Map<String, SortedMap<String, List<String>>> actions = new HashMap<>();
		this.jdbc.sql(SELECT_PLATFORM_ACTIONS).param("platform", name).query((rs) -> {
			addAction(actions, rs);
		});
		return this.jdbc.sql(SELECT_PLATFORM)
			.param("platform", name)
			.query((rs, row) -> platform(rs, actions.getOrDefault(name, new TreeMap<>())))
			.optional();
	}

	@Override
	public void applyDefinition(PlatformDefinition definition, Instant now) {
		this.transactions.executeWithoutResult((status) -> {
			int updated = this.jdbc.sql(UPDATE_DEFINITION)
				.param("displayName", definition.displayName())
				.param("version", definition.version())
				.param("updatedAt", Timestamps.toColumn(now))
				.param("platform", definition.name())
				.update();
			if (updated == 0) {
				this.jdbc.sql(INSERT_PLATFORM)
					.param("platform", definition.name())
					.param("displayName", definition.displayName())
					.param("version", definition.version())
					.param("updatedAt", Timestamps.toColumn(now))
					.update();
			}
			this.jdbc.sql(DELETE_ACTIONS).param("platform", definition.name()).update();
			definition.actions()
				.forEach((action, scopes) -> this.jdbc.sql(INSERT_ACTION)
					.param("platform", definition.name())
					.param("actionType", action)
					.param("requiredScopes", String.join(" ", scopes))
					.update());
		});
	}

	@Override
	public boolean updateStatus(String name, PlatformStatus status, String message, Instant now) {
		return this.jdbc.sql(UPDATE_STATUS)
			.param("status", status.name())
			.param("message", message)
			.param("updatedAt", Timestamps.toColumn(now))
			.param("platform", name)
			.update() == 1;
	}

	private static void addAction(Map<String, SortedMap<String, List<String>>> actions, ResultSet rs)
			throws SQLException {
		String scopes = rs.getString("required_scopes");
		actions.computeIfAbsent(rs.getString("platform"), (p) -> new TreeMap<>())
			.put(rs.getString("action_type"), scopes.isBlank() ? List.of() : List.of(scopes.split(" ")));
	}

	private static Platform platform(ResultSet rs, SortedMap<String, List<String>> actions) throws SQLException {
		return new Platform(rs.getString("platform"), rs.getString("display_name"), rs.getString("version"),
				PlatformStatus.valueOf(rs.getString("status")), rs.getString("status_message"), actions,
				Timestamps.fromColumn(rs, "updated_at"));
	}

}
