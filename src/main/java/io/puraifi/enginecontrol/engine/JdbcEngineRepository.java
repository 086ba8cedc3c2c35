package io.puraifi.enginecontrol.engine;

import java.time.Instant;
import java.util.HashMap;
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

	private static final String SELECT_KEYS = """
			select key_id, engine_id, key_hash, created_at, expires_at, revoked_at, last_used_at
			from engine_key where engine_id = :engineId order by created_at, key_id""";

	private static final String SELECT_PAGE = """
			select engine_id, description, role, status, created_at, updated_at from engine
			where (cast(:status as varchar(16)) is null or status = :status)
			  and (cast(:after as varchar(64)) is null or engine_id > :after)
			order by engine_id
			fetch first :limit rows only""";

	private static final String SELECT_GRANTS_OF = """
			select engine_id, platform, action_type from engine_grant where engine_id in (:engineIds)""";

	private static final String DELETE_ENGINE = """
			delete from engine where engine_id = :engineId""";

	private static final String EXPIRE_KEYS = """
			update engine_key set expires_at = :expiresAt
			where engine_id = :engineId and revoked_at is null and key_id <> :exceptKeyId
			and (expires_at is null or expires_at > :expiresAt)""";

	private static final String REVOKE_KEY = """
			update engine_key set revoked_at = :now
			where engine_id = :engineId and key_id = :keyId and revoked_at is null""";

	private static final String REVOKE_KEYS = """
			update engine_key set revoked_at = :now where engine_id = :engineId and revoked_at is null""";

	private static final String RECORD_KEY_USE = """
			update engine_key set last_used_at = :lastUsedAt
			where key_id = :keyId and (last_used_at is null or last_used_at < :lastUsedAt)""";

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

	@Override
	public List<Engine> findPage(EngineStatus status, String afterEngineId, int limit) {
		List<Engine> page = this.jdbc.sql(SELECT_PAGE)
			.param("status", (status != null) ? status.name() : null)
			.param("after", afterEngineId)
			.param("limit", limit)
			.query((rs, row) -> new Engine(rs.getString("engine_id"), rs.getString("description"),
					EngineRole.valueOf(rs.getString("role")), EngineStatus.valueOf(rs.getString("status")),
					new TreeMap<String, SortedSet<String>>(), Timestamps.fromColumn(rs, "created_at"),
					Timestamps.fromColumn(rs, "updated_at")))
			.list();
		if (page.isEmpty()) {
			return page;
		}
		Map<String, TreeMap<String, SortedSet<String>>> grants = new HashMap<>();
		this.jdbc.sql(SELECT_GRANTS_OF).param("engineIds", page.stream().map(Engine::engineId).toList()).query((rs) -> {
			grants.computeIfAbsent(rs.getString("engine_id"), (id) -> new TreeMap<>())
				.computeIfAbsent(rs.getString("platform"), (p) -> new TreeSet<>())
				.add(rs.getString("action_type"));
		});
		return page.stream()
			.map((engine) -> engine.withCapabilities(grants.getOrDefault(engine.engineId(), new TreeMap<>()),
					engine.updatedAt()))
			.toList();
	}

	@Override
	public boolean delete(String engineId) {
		return this.jdbc.sql(DELETE_ENGINE).param("engineId", engineId).update() == 1;
	}

	@Override
	public List<EngineKey> findKeys(String engineId) {
		return this.jdbc.sql(SELECT_KEYS)
			.param("engineId", engineId)
			.query((rs, row) -> new EngineKey(rs.getString("key_id"), rs.getString("engine_id"),
					rs.getString("key_hash"), Timestamps.fromColumn(rs, "created_at"),
					Timestamps.fromColumn(rs, "expires_at"), Timestamps.fromColumn(rs, "revoked_at"),
					Timestamps.fromColumn(rs, "last_used_at")))
			.list();
	}

	@Override
	public String addKey(String engineId, String keyHash, Instant now) {
		return insertKey(engineId, keyHash, now);
	}

	@Override
	public int expireKeys(String engineId, Instant expiresAt, String exceptKeyId) {
		return this.jdbc.sql(EXPIRE_KEYS)
			.param("expiresAt", Timestamps.toColumn(expiresAt))
			.param("engineId", engineId)
			.param("exceptKeyId", (exceptKeyId != null) ? exceptKeyId : "")
			.update();
	}

	@Override
	public boolean revokeKey(String engineId, String keyId, Instant now) {
		return this.jdbc.sql(REVOKE_KEY)
			.param("now", Timestamps.toColumn(now))
			.param("engineId", engineId)
			.param("keyId", keyId)
			.update() == 1;
	}

	@Override
	public int revokeKeys(String engineId, Instant now) {
		return this.jdbc.sql(REVOKE_KEYS).param("now", Timestamps.toColumn(now)).param("engineId", engineId).update();
	}

	@Override
	public void recordKeyUse(Map<String, Instant> lastUsed) {
		lastUsed.forEach((keyId, at) -> this.jdbc.sql(RECORD_KEY_USE)
			.param("lastUsedAt", Timestamps.toColumn(at))
			.param("keyId", keyId)
			.update());
	}

	private void insertGrants(String engineId, Map<String, ? extends Set<String>> capabilities) {
		capabilities.forEach((platform,
				actions) -> actions.forEach((action) -> this.jdbc.sql(INSERT_GRANT)
					.param("engineId", engineId)
					.param("platform", platform)
					.param("actionType", action)
					.update()));
	}

	private String insertKey(String engineId, String keyHash, Instant now) {
		String keyId = UUID.randomUUID().toString();
		this.jdbc.sql(INSERT_KEY)
			.param("keyId", keyId)
			.param("engineId", engineId)
			.param("keyHash", keyHash)
			.param("createdAt", Timestamps.toColumn(now))
			.update();
		return keyId;
	}

}
