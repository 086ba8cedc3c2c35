package io.puraifi.enginecontrol.engine;

import java.time.Instant;
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
