package io.puraifi.enginecontrol.settings;

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
			select name, enabled, updated_at from feature_flag""";

	private static final String DELETE_FLAG = """
			delete from feature_flag where name = :name""";

	private static final String UPDATE_FLAG = """
			update feature_flag set enabled = :enabled, updated_at = :updatedAt where name = :name""";

	private static final String INSERT_FLAG = """
			insert into feature_flag (name, enabled, updated_at) values (:name, :enabled, :updatedAt)""";

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
			.query((rs, row) -> new Flag(rs.getString("name"), rs.getBoolean("enabled"),
					Timestamps.fromColumn(rs, "updated_at")))
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
	public void save(String name, boolean enabled, Instant now) {
		this.transactions.executeWithoutResult((status) -> {
			int updated = this.jdbc.sql(UPDATE_FLAG)
				.param("enabled", enabled)
				.param("updatedAt", Timestamps.toColumn(now))
				.param("name", name)
				.update();
			if (updated == 0) {
				this.jdbc.sql(INSERT_FLAG)
					.param("name", name)
					.param("enabled", enabled)
					.param("updatedAt", Timestamps.toColumn(now))
					.update();
			}
		});
	}

}
