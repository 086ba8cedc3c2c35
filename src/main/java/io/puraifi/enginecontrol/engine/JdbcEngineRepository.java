package io.puraifi.enginecontrol.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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

	// One round trip for a cold engine: the engine row, its grants and its keys as typed
	// rows of one result (kind e, g, k), portable to H2 and PostgreSQL.
	private static final String SELECT_ENGINE_WITH_KEYS = """
			select 'e' as kind, engine_id, cast(description as varchar(500)) as a, cast(role as varchar(64)) as b,
			  cast(status as varchar(64)) as c, created_at as t1, updated_at as t2,
			  cast(null as timestamp with time zone) as t3, cast(null as timestamp with time zone) as t4
			from engine where engine_id = :engineId
			union all
			select 'g', engine_id, cast(platform as varchar(500)), cast(action_type as varchar(64)),
			  cast(null as varchar(64)), cast(null as timestamp with time zone), cast(null as timestamp with time zone),
			  cast(null as timestamp with time zone), cast(null as timestamp with time zone)
			from engine_grant where engine_id = :engineId
			union all
			select 'k', engine_id, cast(key_id as varchar(500)), cast(key_hash as varchar(64)), cast(null as varchar(64)),
			  created_at, expires_at, revoked_at, last_used_at
			from engine_key where engine_id = :engineId""";

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

	private static final String UPDATE_ROLE = """
			update engine set role = :role, updated_at = :updatedAt where engine_id = :engineId""";

	private static final String SELECT_IDS_BY_ROLE = """
			select engine_id from engine where role = :role order by engine_id""";

	private static final String SELECT_ALL_IDS = """
			select engine_id from engine""";

	private static final String TOUCH_ENGINE = """
			update engine set updated_at = :updatedAt where engine_id = :engineId""";

	private static final int KEY_USE_CHUNK = 1_000;

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
	public boolean updateRole(String engineId, EngineRole role, Instant now) {
		return this.jdbc.sql(UPDATE_ROLE)
			.param("role", role.name())
			.param("updatedAt", Timestamps.toColumn(now))
			.param("engineId", engineId)
			.update() == 1;
	}

	@Override
	public List<String> findIdsByRole(EngineRole role) {
		return this.jdbc.sql(SELECT_IDS_BY_ROLE).param("role", role.name()).query(String.class).list();
	}

	@Override
	public List<String> findAllIds() {
		return this.jdbc.sql(SELECT_ALL_IDS).query(String.class).list();
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
	public Optional<EngineWithKeys> findWithKeys(String engineId) {
		TreeMap<String, SortedSet<String>> capabilities = new TreeMap<>();
		List<EngineKey> keys = new ArrayList<>(2);
		List<Engine> engines = new ArrayList<>(1);
		this.jdbc.sql(SELECT_ENGINE_WITH_KEYS).param("engineId", engineId).query((rs) -> {
			switch (rs.getString("kind")) {
				case "e" -> engines
					.add(new Engine(rs.getString("engine_id"), rs.getString("a"), EngineRole.valueOf(rs.getString("b")),
							EngineStatus.valueOf(rs.getString("c")), new TreeMap<String, SortedSet<String>>(),
							Timestamps.fromColumn(rs, "t1"), Timestamps.fromColumn(rs, "t2")));
				// Interned: a hundred thousand cached engines share one copy of each
				// name.
				case "g" -> capabilities.computeIfAbsent(rs.getString("a").intern(), (p) -> new TreeSet<>())
					.add(rs.getString("b").intern());
				default -> keys.add(new EngineKey(rs.getString("a"), rs.getString("engine_id"), rs.getString("b"),
						Timestamps.fromColumn(rs, "t1"), Timestamps.fromColumn(rs, "t2"),
						Timestamps.fromColumn(rs, "t3"), Timestamps.fromColumn(rs, "t4")));
			}
		});
		if (engines.isEmpty()) {
			return Optional.empty();
		}
		keys.sort(Comparator.comparing(EngineKey::createdAt).thenComparing(EngineKey::keyId));
		Engine engine = engines.get(0);
		return Optional.of(new EngineWithKeys(engine.withCapabilities(capabilities, engine.updatedAt()), keys));
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
		// One connection and one commit per chunk, not per key: with 100,000 engines a
		// flush took 100,000 pooled connections.
		List<Map.Entry<String, Instant>> uses = List.copyOf(lastUsed.entrySet());
		for (int from = 0; from < uses.size(); from += KEY_USE_CHUNK) {
			List<Map.Entry<String, Instant>> chunk = uses.subList(from, Math.min(from + KEY_USE_CHUNK, uses.size()));
			this.transactions.executeWithoutResult((status) -> chunk.forEach((use) -> this.jdbc.sql(RECORD_KEY_USE)
				.param("lastUsedAt", Timestamps.toColumn(use.getValue()))
				.param("keyId", use.getKey())
				.update()));
		}
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
