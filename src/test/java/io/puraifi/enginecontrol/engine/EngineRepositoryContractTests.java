package io.puraifi.enginecontrol.engine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What every {@link EngineRepository} store must do. Each database runs these cases
 * through a small subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EngineRepositoryContractTests {

	private static final Instant CREATED = Instant.parse("2025-03-04T05:06:07.123456Z");

	private static final Instant LATER = Instant.parse("2025-03-05T00:00:00.654321Z");

	private static final String HASH_1 = "a".repeat(64);

	private static final String HASH_2 = "b".repeat(64);

	private static final String HASH_3 = "c".repeat(64);

	private TestDatabase database;

	private EngineRepository repository;

	private JdbcClient jdbc;

	abstract TestDatabase createDatabase();

	@BeforeAll
	void createRepository() {
		this.database = createDatabase();
		this.jdbc = this.database.jdbcClient();
		this.repository = new JdbcEngineRepository(this.jdbc, this.database.transactionTemplate());
	}

	@BeforeEach
	void deleteEngines() {
		this.jdbc.sql("delete from engine").update();
	}

	@Test
	void insertThenFindByIdReturnsEngineWithGrantsAndKeyHash() {
		Engine engine = engine("action",
				Map.of("gmail", Set.of("send_email", "read_email"), "slack", Set.of("post_message")));
		this.repository.insert(engine, HASH_1);
		assertThat(this.repository.findById("action")).contains(engine);
		assertThat(this.repository.findById("action").get().capabilities()).containsOnlyKeys("gmail", "slack");
		assertThat(this.repository.findKeyHashes("action")).containsExactly(HASH_1);
	}

	@Test
	void insertAdminWithoutGrantsOrDescriptionThenFound() {
		Engine admin = new Engine("admin", null, EngineRole.ADMIN, EngineStatus.ACTIVE, Engine.sorted(Map.of()),
				CREATED, CREATED);
		this.repository.insert(admin, HASH_1);
		assertThat(this.repository.findById("admin")).contains(admin);
	}

	@Test
	void findWhenUnknownThenEmpty() {
		assertThat(this.repository.findById("nobody")).isEmpty();
		assertThat(this.repository.findKeyHashes("nobody")).isEmpty();
	}

	@Test
	void findWithKeysReturnsWhatFindByIdAndFindKeysReturnInOneQuery() {
		Engine engine = engine("action",
				Map.of("gmail", Set.of("send_email", "read_email"), "slack", Set.of("post_message")));
		this.repository.insert(engine, HASH_1);
		String second = this.repository.addKey("action", HASH_2, LATER);
		String third = this.repository.addKey("action", HASH_3, LATER.plusSeconds(1));
		this.repository.expireKeys("action", LATER.plusSeconds(60), third);
		this.repository.revokeKey("action", second, LATER.plusSeconds(2));
		this.repository.recordKeyUse(Map.of(third, LATER.plusSeconds(3)));
		EngineRepository.EngineWithKeys loaded = this.repository.findWithKeys("action").orElseThrow();
		assertThat(loaded.engine()).isEqualTo(this.repository.findById("action").orElseThrow());
		assertThat(loaded.keys()).isEqualTo(this.repository.findKeys("action"));
		assertThat(loaded.keys()).extracting(EngineKey::keyHash).containsExactly(HASH_1, HASH_2, HASH_3);
	}

	@Test
	void findWithKeysWhenNoGrantsOrUnknownThenEngineWithoutCapabilitiesOrEmpty() {
		Engine admin = new Engine("admin", null, EngineRole.ADMIN, EngineStatus.ACTIVE, Engine.sorted(Map.of()),
				CREATED, CREATED);
		this.repository.insert(admin, HASH_1);
		assertThat(this.repository.findWithKeys("admin").orElseThrow().engine()).isEqualTo(admin);
		assertThat(this.repository.findWithKeys("admin").orElseThrow().keys()).singleElement()
			.extracting(EngineKey::keyHash)
			.isEqualTo(HASH_1);
		assertThat(this.repository.findWithKeys("nobody")).isEmpty();
	}

	@Test
	void insertWhenIdTakenThenDuplicateKeyAndFirstEngineKept() {
		Engine first = engine("action", Map.of("gmail", Set.of("send_email")));
		this.repository.insert(first, HASH_1);
		Engine second = engine("action", Map.of("slack", Set.of("post_message")));
		assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> this.repository.insert(second, HASH_2));
		assertThat(this.repository.findById("action")).contains(first);
		assertThat(this.repository.findKeyHashes("action")).containsExactly(HASH_1);
	}

	@Test
	void insertWhenKeyHashTakenThenNothingOfTheNewEngineIsWritten() {
		this.repository.insert(engine("first", Map.of()), HASH_1);
		Engine second = engine("second", Map.of("gmail", Set.of("send_email")));
		assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> this.repository.insert(second, HASH_1));
		assertThat(this.repository.findById("second")).isEmpty();
		assertThat(count("engine_grant", "second")).isZero();
		assertThat(count("engine_key", "second")).isZero();
		assertThat(this.repository.findKeyHashes("first")).containsExactly(HASH_1);
	}

	@Test
	void updateStatusThenFindShowsStatusAndUpdatedAt() {
		Engine engine = engine("action", Map.of("gmail", Set.of("send_email")));
		this.repository.insert(engine, HASH_1);
		assertThat(this.repository.updateStatus("action", EngineStatus.SUSPENDED, LATER)).isTrue();
		assertThat(this.repository.findById("action")).contains(engine.withStatus(EngineStatus.SUSPENDED, LATER));
		assertThat(this.repository.updateStatus("action", EngineStatus.ACTIVE, LATER)).isTrue();
		assertThat(this.repository.findById("action").get().status()).isEqualTo(EngineStatus.ACTIVE);
	}

	@Test
	void updateStatusWhenUnknownThenFalse() {
		assertThat(this.repository.updateStatus("nobody", EngineStatus.SUSPENDED, LATER)).isFalse();
		assertThat(this.repository.findById("nobody")).isEmpty();
	}

	@Test
	void replaceCapabilitiesReplacesEveryGrant() {
		this.repository.insert(engine("action", Map.of("gmail", Set.of("send_email", "read_email"))), HASH_1);
		Map<String, Set<String>> replacement = Map.of("slack", Set.of("post_message"), "google_calendar",
				Set.of("create_event"));
		assertThat(this.repository.replaceCapabilities("action", replacement, LATER)).isTrue();
		Engine found = this.repository.findById("action").get();
		assertThat(found.capabilities()).isEqualTo(Engine.sorted(replacement));
		assertThat(found.updatedAt()).isEqualTo(LATER);
		assertThat(found.createdAt()).isEqualTo(CREATED);
	}

	@Test
	void replaceCapabilitiesWithNoneLeavesNoGrant() {
		this.repository.insert(engine("action", Map.of("gmail", Set.of("send_email"))), HASH_1);
		assertThat(this.repository.replaceCapabilities("action", Map.of(), LATER)).isTrue();
		assertThat(this.repository.findById("action").get().capabilities()).isEmpty();
		assertThat(count("engine_grant", "action")).isZero();
	}

	@Test
	void replaceCapabilitiesWhenUnknownThenFalseAndNothingWritten() {
		assertThat(this.repository.replaceCapabilities("nobody", Map.of("gmail", Set.of("send_email")), LATER))
			.isFalse();
		assertThat(count("engine_grant", "nobody")).isZero();
	}

	@Test
	void replaceCapabilitiesWhenAGrantFailsThenOldGrantsKept() {
		Engine engine = engine("action", Map.of("gmail", Set.of("send_email")));
		this.repository.insert(engine, HASH_1);
		// Sorted, so "gmail" is written first; the 65-character platform then fails.
		TreeMap<String, Set<String>> replacement = new TreeMap<>(
				Map.of("gmail", Set.of("read_email"), "x".repeat(65), Set.of("anything")));
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.repository.replaceCapabilities("action", replacement, LATER));
		assertThat(this.repository.findById("action")).contains(engine);
	}

	@Test
	void replaceKeysLeavesOnlyTheNewKey() {
		this.repository.insert(engine("action", Map.of()), HASH_1);
		this.repository.replaceKeys("action", HASH_2, LATER);
		assertThat(this.repository.findKeyHashes("action")).containsExactly(HASH_2);
		this.repository.replaceKeys("action", HASH_3, LATER);
		assertThat(this.repository.findKeyHashes("action")).containsExactly(HASH_3);
	}

	@Test
	void replaceKeysWhenHashTakenThenOldKeyKept() {
		this.repository.insert(engine("first", Map.of()), HASH_1);
		this.repository.insert(engine("second", Map.of()), HASH_2);
		assertThatExceptionOfType(DuplicateKeyException.class)
			.isThrownBy(() -> this.repository.replaceKeys("second", HASH_1, LATER));
		assertThat(this.repository.findKeyHashes("second")).containsExactly(HASH_2);
		assertThat(this.repository.findKeyHashes("first")).containsExactly(HASH_1);
	}

	@Test
	void keysAndGrantsBelongToTheirEngine() {
		this.repository.insert(engine("first", Map.of("gmail", Set.of("send_email"))), HASH_1);
		this.repository.insert(engine("second", Map.of("slack", Set.of("post_message"))), HASH_2);
		assertThat(this.repository.findById("first").get().capabilities()).containsOnlyKeys("gmail");
		assertThat(this.repository.findById("second").get().capabilities()).containsOnlyKeys("slack");
		assertThat(this.repository.findKeyHashes("first")).isEqualTo(List.of(HASH_1));
		assertThat(this.repository.findKeyHashes("second")).isEqualTo(List.of(HASH_2));
	}

	@Test
	void findPageOrdersByIdFiltersByStatusAndContinuesAfterACursor() {
		for (String id : List.of("delta", "alpha", "charlie", "bravo", "echo")) {
			this.repository.insert(engine(id, Map.of("gmail", Set.of("send_email"))), hash(id));
		}
		this.repository.updateStatus("charlie", EngineStatus.SUSPENDED, LATER);
		this.repository.updateStatus("echo", EngineStatus.REVOKED, LATER);
		assertThat(ids(this.repository.findPage(null, null, 2))).containsExactly("alpha", "bravo");
		assertThat(ids(this.repository.findPage(null, "bravo", 2))).containsExactly("charlie", "delta");
		assertThat(ids(this.repository.findPage(null, "delta", 2))).containsExactly("echo");
		assertThat(ids(this.repository.findPage(null, "echo", 2))).isEmpty();
		assertThat(ids(this.repository.findPage(EngineStatus.ACTIVE, null, 10))).containsExactly("alpha", "bravo",
				"delta");
		assertThat(ids(this.repository.findPage(EngineStatus.SUSPENDED, null, 10))).containsExactly("charlie");
		assertThat(ids(this.repository.findPage(EngineStatus.REVOKED, "alpha", 10))).containsExactly("echo");
		Engine first = this.repository.findPage(null, null, 1).get(0);
		assertThat(first).isEqualTo(this.repository.findById("alpha").get());
		assertThat(first.capabilities()).containsOnlyKeys("gmail");
	}

	@Test
	void deleteRemovesEngineKeysAndGrantsOnly() {
		this.repository.insert(engine("gone", Map.of("gmail", Set.of("send_email"))), HASH_1);
		this.repository.insert(engine("kept", Map.of("gmail", Set.of("send_email"))), HASH_2);
		assertThat(this.repository.delete("gone")).isTrue();
		assertThat(this.repository.findById("gone")).isEmpty();
		assertThat(count("engine_key", "gone")).isZero();
		assertThat(count("engine_grant", "gone")).isZero();
		assertThat(this.repository.findById("kept")).isPresent();
		assertThat(this.repository.delete("gone")).isFalse();
	}

	@Test
	void findKeysShowsLifeOfEachKeyOldestFirst() {
		this.repository.insert(engine("action", Map.of()), HASH_1);
		String second = this.repository.addKey("action", HASH_2, LATER);
		List<EngineKey> keys = this.repository.findKeys("action");
		assertThat(keys).extracting(EngineKey::keyHash).containsExactly(HASH_1, HASH_2);
		assertThat(keys.get(0).createdAt()).isEqualTo(CREATED);
		assertThat(keys.get(1)).isEqualTo(new EngineKey(second, "action", HASH_2, LATER, null, null, null));
		assertThat(this.repository.findKeys("nobody")).isEmpty();
	}

	@Test
	void expireKeysSetsTheOverlapEndButNeverExtendsAndSkipsTheNewKeyAndRevokedOnes() {
		this.repository.insert(engine("action", Map.of()), HASH_1);
		String early = this.repository.addKey("action", HASH_2, CREATED);
		String fresh = this.repository.addKey("action", HASH_3, LATER);
		String revoked = this.repository.addKey("action", "d".repeat(64), CREATED);
		this.repository.revokeKey("action", revoked, LATER);
		Instant soon = LATER.plusSeconds(60);
		Instant overlapEnd = LATER.plusSeconds(3600);
		assertThat(this.repository.expireKeys("action", soon, fresh)).isEqualTo(2);
		assertThat(this.repository.expireKeys("action", overlapEnd, fresh)).isZero();
		Map<String, EngineKey> keys = byHash(this.repository.findKeys("action"));
		assertThat(keys.get(HASH_1).expiresAt()).isEqualTo(soon);
		assertThat(keys.get(HASH_2).expiresAt()).isEqualTo(soon);
		assertThat(keys.get(HASH_2).keyId()).isEqualTo(early);
		assertThat(keys.get(HASH_3).expiresAt()).isNull();
		assertThat(keys.get("d".repeat(64)).expiresAt()).isNull();
	}

	@Test
	void revokeKeyRevokesThatKeyOnceAndOnlyForItsEngine() {
		this.repository.insert(engine("action", Map.of()), HASH_1);
		this.repository.insert(engine("other", Map.of()), HASH_2);
		String keyId = this.repository.findKeys("action").get(0).keyId();
		assertThat(this.repository.revokeKey("other", keyId, LATER)).isFalse();
		assertThat(this.repository.revokeKey("action", keyId, LATER)).isTrue();
		assertThat(this.repository.revokeKey("action", keyId, LATER.plusSeconds(1))).isFalse();
		assertThat(this.repository.findKeys("action").get(0).revokedAt()).isEqualTo(LATER);
		assertThat(this.repository.findKeys("other").get(0).revokedAt()).isNull();
	}

	@Test
	void revokeKeysRevokesEveryKeyNotYetRevoked() {
		this.repository.insert(engine("action", Map.of()), HASH_1);
		this.repository.addKey("action", HASH_2, LATER);
		this.repository.insert(engine("other", Map.of()), HASH_3);
		assertThat(this.repository.revokeKeys("action", LATER)).isEqualTo(2);
		assertThat(this.repository.revokeKeys("action", LATER.plusSeconds(1))).isZero();
		assertThat(this.repository.findKeys("action")).extracting(EngineKey::revokedAt).containsOnly(LATER);
		assertThat(this.repository.findKeys("other").get(0).revokedAt()).isNull();
	}

	@Test
	void recordKeyUseKeepsTheLatestUse() {
		this.repository.insert(engine("action", Map.of()), HASH_1);
		String keyId = this.repository.findKeys("action").get(0).keyId();
		this.repository.recordKeyUse(Map.of(keyId, LATER));
		this.repository.recordKeyUse(Map.of(keyId, CREATED, "no-such-key", LATER));
		assertThat(this.repository.findKeys("action").get(0).lastUsedAt()).isEqualTo(LATER);
		this.repository.recordKeyUse(Map.of(keyId, LATER.plusSeconds(5)));
		assertThat(this.repository.findKeys("action").get(0).lastUsedAt()).isEqualTo(LATER.plusSeconds(5));
	}

	@Test
	void recordKeyUseWritesEveryKeyOfAFlushLargerThanOneChunk() {
		this.repository.insert(engine("action", Map.of()), HASH_1);
		this.repository.insert(engine("other", Map.of()), HASH_2);
		String first = this.repository.findKeys("action").get(0).keyId();
		String second = this.repository.findKeys("other").get(0).keyId();
		Map<String, Instant> uses = new LinkedHashMap<>();
		uses.put(first, LATER);
		for (int i = 0; i < 2_500; i++) {
			uses.put("absent-" + i, LATER);
		}
		uses.put(second, LATER.plusSeconds(1));
		this.repository.recordKeyUse(uses);
		assertThat(this.repository.findKeys("action").get(0).lastUsedAt()).isEqualTo(LATER);
		assertThat(this.repository.findKeys("other").get(0).lastUsedAt()).isEqualTo(LATER.plusSeconds(1));
	}

	private static String hash(String seed) {
		return EngineKeys.hash(seed);
	}

	private static List<String> ids(List<Engine> engines) {
		return engines.stream().map(Engine::engineId).toList();
	}

	private static Map<String, EngineKey> byHash(List<EngineKey> keys) {
		return keys.stream().collect(java.util.stream.Collectors.toMap(EngineKey::keyHash, (key) -> key));
	}

	private static Engine engine(String engineId, Map<String, Set<String>> capabilities) {
		return new Engine(engineId, "The " + engineId + " engine", EngineRole.ENGINE, EngineStatus.ACTIVE,
				Engine.sorted(capabilities), CREATED, CREATED);
	}

	private long count(String table, String engineId) {
		return this.jdbc.sql("select count(*) from " + table + " where engine_id = :engineId")
			.param("engineId", engineId)
			.query(Long.class)
			.single();
	}

}
