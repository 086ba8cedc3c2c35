package io.puraifi.enginecontrol.settings;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import io.puraifi.enginecontrol.system.Timestamps;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

@Repository
class JdbcFlagRepository implements FlagRepository {

	private static final String SELECT_FLAG = """
			select enabled from feature_flag where name = :name""";

	private static final String SELECT_FLAGS = """
			select name, enabled from feature_flag""";

	private static final String SELECT_FLAGS_WITH_TIMES = """
			select name, enabled, mode, updated_at from feature_flag""";

	private static final String SELECT_FLAG_WITH_TIME = """
			select name, enabled, mode, updated_at from feature_flag where name = :name""";

	private static final String DELETE_FLAG = """
			delete from feature_flag where name = :name""";

	private static final String UPDATE_FLAG = """
			update feature_flag set enabled = :enabled, mode = :mode, updated_at = :updatedAt where name = :name""";

	private static final String INSERT_FLAG = """
			insert into feature_flag (name, enabled, mode, updated_at) values (:name, :enabled, :mode, :updatedAt)""";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	JdbcFlagRepository(JdbcClient jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	@Override
	public Optional<Boolean> find(String name) {
		return this.jdbc.sql(SELECT_FLAG).param("name", name).query(Boolean.class).optional();
	}

	@Override
	public Optional<Flag> findFlag(String name) {
		return this.jdbc.sql(SELECT_FLAG_WITH_TIME).param("name", name).query(JdbcFlagRepository::flag).optional();
	}

	private static Flag flag(ResultSet rs, int row) throws SQLException {
		return new Flag(rs.getString("name"), rs.getBoolean("enabled"),
				FeatureFlags.SHADOW.equals(rs.getString("mode")), Timestamps.fromColumn(rs, "updated_at"));
	}

	@Override
	public SortedMap<String, Boolean> findAll() {
		SortedMap<String, Boolean> flags = new TreeMap<>();
		this.jdbc.sql(SELECT_FLAGS).query((rs) -> {
			flags.put(rs.getString("name"), rs.getBoolean("enabled"));
		});
		return flags;
	}

	@Override
	public List<Flag> list() {
		return this.jdbc.sql(SELECT_FLAGS_WITH_TIMES)
			.query(JdbcFlagRepository::flag)
			.list()
			.stream()
			.sorted(Comparator.comparing(Flag::name))
			.toList();
	}

	@Override
	public boolean delete(String name) {
		return this.jdbc.sql(DELETE_FLAG).param("name", name).update() == 1;
	}

	@Override
	public void save(String name, boolean enabled, boolean shadow, Instant now) {
		String mode = shadow ? FeatureFlags.SHADOW : FeatureFlags.ENFORCE;
		this.transactions.executeWithoutResult((status) -> {
			int updated = this.jdbc.sql(UPDATE_FLAG)
				.param("enabled", enabled)
				.param("mode", mode)
				.param("updatedAt", Timestamps.toColumn(now))
				.param("name", name)
				.update();
			if (updated == 0) {
				this.jdbc.sql(INSERT_FLAG)
					.param("name", name)
					.param("enabled", enabled)
					.param("mode", mode)
					.param("updatedAt", Timestamps.toColumn(now))
					.update();
			}
		});
	}

}
