package io.puraifi.enginecontrol.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import io.puraifi.enginecontrol.system.Timestamps;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

@Repository
class JdbcEngineRepository implements EngineRepository {

	private static final String SELECT_ENGINE = """
			select engine_id, description, role, status, created_at, updated_at
			from engine where engine_id = :engineId""";

	private static final String SELECT_GRANTS = """
			select platform, action_type from engine_grant where engine_id = :engineId""";

	private static final String SELECT_KEY_HASHES = """
			select key_hash from engine_key where engine_id = :engineId""";

	private static final String INSERT_ENGINE = """
			insert into engine (engine_id, description, role, status, created_at, updated_at)
			values (:engineId, :description, :role, :status, :createdAt, :updatedAt)""";

	private static final String INSERT_GRANT = """
			insert into engine_grant (engine_id, platform, action_type) values (:engineId, :platform, :actionType)""";

	private static final String DELETE_GRANTS = """
			delete from engine_grant where engine_id = :engineId""";

	private static final String INSERT_KEY = """
			insert into engine_key (key_id, engine_id, key_hash, created_at)
			values (:keyId, :engineId, :keyHash, :createdAt)""";

	private static final String DELETE_KEYS = """
			delete from engine_key where engine_id = :engineId""";

	private static final String UPDATE_STATUS = """
			update engine set status = :status, updated_at = :updatedAt where engine_id = :engineId""";

	private static final String TOUCH_ENGINE = """
			update engine set updated_at = :updatedAt where engine_id = :engineId""";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	JdbcEngineRepository(JdbcClient jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	@Override
	public Optional<Engine> findById(String engineId) {
		TreeMap<String, SortedSet<String>> capabilities = new TreeMap<>();
		this.jdbc.sql(SELECT_GRANTS).param("engineId", engineId).query((rs) -> {
			capabilities.computeIfAbsent(rs.getString("platform"), (p) -> new TreeSet<>())
				.add(rs.getString("action_type"));
		});
		return this.jdbc.sql(SELECT_ENGINE)
			.param("engineId", engineId)
			.query((rs, row) -> new Engine(rs.getString("engine_id"), rs.getString("description"),
					EngineRole.valueOf(rs.getString("role")), EngineStatus.valueOf(rs.getString("status")),
					capabilities, Timestamps.fromColumn(rs, "created_at"), Timestamps.fromColumn(rs, "updated_at")))
			.optional();
	}

	@Override
	public List<String> findKeyHashes(String engineId) {
		return this.jdbc.sql(SELECT_KEY_HASHES).param("engineId", engineId).query(String.class).list();
	}

	@Override
	public void insert(Engine engine, String keyHash) {
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.sql(INSERT_ENGINE)
				.param("engineId", engine.engineId())
				.param("description", engine.description())
				.param("role", engine.role().name())
				.param("status", engine.status().name())
				.param("createdAt", Timestamps.toColumn(engine.createdAt()))
				.param("updatedAt", Timestamps.toColumn(engine.updatedAt()))
				.update();
			insertGrants(engine.engineId(), engine.capabilities());
			insertKey(engine.engineId(), keyHash, engine.createdAt());
		});
	}

	@Override
	public boolean updateStatus(String engineId, EngineStatus status, Instant now) {
		return this.jdbc.sql(UPDATE_STATUS)
			.param("status", status.name())
			.param("updatedAt", Timestamps.toColumn(now))
			.param("engineId", engineId)
			.update() == 1;
	}

	@Override
	public boolean replaceCapabilities(String engineId, Map<String, ? extends Set<String>> capabilities, Instant now) {
		Boolean replaced = this.transactions.execute((status) -> {
			int touched = this.jdbc.sql(TOUCH_ENGINE)
				.param("updatedAt", Timestamps.toColumn(now))
				.param("engineId", engineId)
				.update();
			if (touched == 0) {
				return false;
			}
			this.jdbc.sql(DELETE_GRANTS).param("engineId", engineId).update();
			insertGrants(engineId, capabilities);
			return true;
		});
		return Boolean.TRUE.equals(replaced);
	}

	@Override
	public void replaceKeys(String engineId, String keyHash, Instant now) {
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.sql(DELETE_KEYS).param("engineId", engineId).update();
			insertKey(engineId, keyHash, now);
		});
	}

	private void insertGrants(String engineId, Map<String, ? extends Set<String>> capabilities) {
		capabilities.forEach((platform,
				actions) -> actions.forEach((action) -> this.jdbc.sql(INSERT_GRANT)
					.param("engineId", engineId)
					.param("platform", platform)
					.param("actionType", action)
					.update()));
	}

	private void insertKey(String engineId, String keyHash, Instant now) {
		this.jdbc.sql(INSERT_KEY)
			.param("keyId", UUID.randomUUID().toString())
			.param("engineId", engineId)
			.param("keyHash", keyHash)
			.param("createdAt", Timestamps.toColumn(now))
			.update();
	}

}
