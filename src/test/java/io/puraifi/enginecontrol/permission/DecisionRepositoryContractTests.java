package io.puraifi.enginecontrol.permission;

import java.time.Instant;
import java.util.List;

import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link DecisionRepository} store must do; one subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DecisionRepositoryContractTests {

	private static final Instant T0 = Instant.parse("2025-03-04T05:06:07.123456Z");

	private DecisionRepository repository;

	private JdbcClient jdbc;

	abstract TestDatabase createDatabase();

	@BeforeAll
	void createRepository() {
		TestDatabase database = createDatabase();
		this.jdbc = database.jdbcClient();
		this.repository = new JdbcDecisionRepository(this.jdbc, database.transactionTemplate());
	}

	@BeforeEach
	void deleteRecords() {
		this.jdbc.sql("delete from decision_record").update();
	}

	@Test
	void insertAllThenFindNewestFirstWithEveryField() {
		DecisionRecord denied = new DecisionRecord(0, "req-1", "c1", "admin", "action", "slack", "post_message",
				"denied", "FLAG_DISABLED", "action.slack.post_message", 42L, T0, 17);
		DecisionRecord error = new DecisionRecord(0, "req-2", null, "action", "action", "gmail", "send_email", "error",
				"SERVICE_UNAVAILABLE", null, null, T0.plusSeconds(1), 3);
		this.repository.insertAll(List.of(denied, error));
		List<DecisionRecord> found = this.repository.find(query(null, null, null, null, null, null, null, 10));
		assertThat(found).hasSize(2);
		assertThat(found.get(0).requestId()).isEqualTo("req-2");
		assertThat(found.get(0).revision()).isNull();
		DecisionRecord first = found.get(1);
		assertThat(first.decisionId()).isPositive().isLessThan(found.get(0).decisionId());
		assertThat(first).usingRecursiveComparison().ignoringFields("decisionId").isEqualTo(denied);
	}

	@Test
	void findFiltersByEngineEitherSidePlatformReasonStatusAndTime() {
		this.repository.insertAll(List.of(record("action", "action", "gmail", "denied", "ACTION_NOT_GRANTED", 0),
				record("admin", "action", "slack", "denied", "PLATFORM_MAINTENANCE", 10),
				record("admin", "admin", "gmail", "allowed", "ALLOWED", 20),
				record("other", "other", "gmail", "error", "FORBIDDEN", 30)));
		assertThat(reasons(query("action", null, null, null, null, null, null, 10)))
			.containsExactly("PLATFORM_MAINTENANCE", "ACTION_NOT_GRANTED");
		assertThat(reasons(query("admin", null, null, null, null, null, null, 10))).containsExactly("ALLOWED",
				"PLATFORM_MAINTENANCE");
		assertThat(reasons(query(null, "gmail", null, "denied", null, null, null, 10)))
			.containsExactly("ACTION_NOT_GRANTED");
		assertThat(reasons(query(null, null, "FORBIDDEN", null, null, null, null, 10))).containsExactly("FORBIDDEN");
		assertThat(reasons(query(null, null, null, null, T0.plusSeconds(10), T0.plusSeconds(30), null, 10)))
			.containsExactly("ALLOWED", "PLATFORM_MAINTENANCE");
	}

	@Test
	void cursorPagesBackwards() {
		for (int i = 0; i < 5; i++) {
			this.repository.insertAll(List.of(record("action", "action", "gmail", "denied", "R" + i, i)));
		}
		List<DecisionRecord> page = this.repository.find(query(null, null, null, null, null, null, null, 2));
		assertThat(page).extracting(DecisionRecord::reason).containsExactly("R4", "R3");
		List<DecisionRecord> next = this.repository
			.find(query(null, null, null, null, null, null, page.get(1).decisionId(), 10));
		assertThat(next).extracting(DecisionRecord::reason).containsExactly("R2", "R1", "R0");
	}

	@Test
	void valuesTooLongForTheColumnsAreCutNotRefused() {
		this.repository.insertAll(List.of(new DecisionRecord(0, "r", "c".repeat(300), "action", "x".repeat(300), null,
				"A".repeat(300), "error", "INVALID_REQUEST", null, null, T0, 0)));
		DecisionRecord found = this.repository.find(query(null, null, null, null, null, null, null, 1)).get(0);
		assertThat(found.correlationId()).hasSize(128);
		assertThat(found.subjectEngineId()).hasSize(64);
		assertThat(found.platform()).isEqualTo("-");
	}

	private List<String> reasons(DecisionRepository.DecisionQuery query) {
		return this.repository.find(query).stream().map(DecisionRecord::reason).toList();
	}

	private static DecisionRecord record(String caller, String subject, String platform, String status, String reason,
			int seconds) {
		return new DecisionRecord(0, "req", null, caller, subject, platform, "send_email", status, reason, null, 1L,
				T0.plusSeconds(seconds), 5);
	}

	private static DecisionRepository.DecisionQuery query(String engineId, String platform, String reason,
			String status, Instant since, Instant until, Long before, int limit) {
		return new DecisionRepository.DecisionQuery(engineId, platform, reason, status, since, until, before, limit);
	}

}
