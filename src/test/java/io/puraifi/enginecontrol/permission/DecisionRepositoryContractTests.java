package io.puraifi.enginecontrol.permission;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.puraifi.enginecontrol.permission.DecisionRepository.CountUpdate;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.Timestamps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What every {@link DecisionRepository} store must do; one subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DecisionRepositoryContractTests {

	private static final Instant T0 = Instant.parse("2025-03-04T05:06:07.123456Z");

	DecisionRepository repository;

	JdbcClient jdbc;

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
	void shadowDenialsAreKeptAndFilteredOn() {
		List<Decision.ShadowDenial> shadow = List.of(
				new Decision.ShadowDenial("flag:platform.slack", DecisionReason.FLAG_DISABLED),
				new Decision.ShadowDenial("quota:slack-trial", DecisionReason.QUOTA_EXCEEDED));
		this.repository.insertAll(List.of(
				new DecisionRecord(0, "req-s", null, "action", "action", "slack", "post_message", "allowed", "ALLOWED",
						null, 3L, T0, 5, shadow),
				record("action", "action", "gmail", "denied", "ACTION_NOT_GRANTED", 1)));
		List<DecisionRecord> shadowed = this.repository
			.find(new DecisionRepository.DecisionQuery(null, null, null, null, null, null, null, 10, true));
		assertThat(shadowed).hasSize(1);
		assertThat(shadowed.get(0).shadow()).isEqualTo(shadow);
		assertThat(this.repository
			.find(new DecisionRepository.DecisionQuery(null, null, null, null, null, null, null, 10, false)))
			.extracting(DecisionRecord::reason)
			.containsExactly("ACTION_NOT_GRANTED");
		assertThat(this.repository.find(query(null, null, null, null, null, null, null, 10))).hasSize(2);
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

	@Test
	void insertAllReturnsTheIdsInOrderAndKeepsCountAndLastAt() {
		DecisionRecord aggregated = new DecisionRecord(0, "req-1", null, "action", "action", "gmail", "read_email",
				"denied", "ACTION_NOT_GRANTED", null, 3L, T0, 9, 250, T0.plusSeconds(59));
		List<Long> ids = this.repository.insertAll(List.of(record("a", "a", "gmail", "denied", "R0", 0), aggregated));
		List<DecisionRecord> found = this.repository.find(query(null, null, null, null, null, null, null, 10));
		assertThat(ids).containsExactly(found.get(1).decisionId(), found.get(0).decisionId());
		assertThat(found.get(0)).usingRecursiveComparison().ignoringFields("decisionId").isEqualTo(aggregated);
		assertThat(found.get(0).firstAt()).isEqualTo(T0);
		assertThat(found.get(1).count()).isEqualTo(1);
		assertThat(found.get(1).lastAt()).isEqualTo(found.get(1).decidedAt());
	}

	@Test
	void updateCountsSetsCountAndLastAtAndSkipsRecordsThatAreGone() {
		List<Long> ids = this.repository.insertAll(
				List.of(record("a", "a", "gmail", "denied", "R0", 0), record("a", "a", "gmail", "denied", "R1", 0)));
		this.repository.updateCounts(List.of(new CountUpdate(ids.get(0), 1_000, T0.plusSeconds(30)),
				new CountUpdate(ids.get(1) + 1_000, 5, T0)));
		List<DecisionRecord> found = this.repository.find(query(null, null, null, null, null, null, null, 10));
		assertThat(found).extracting(DecisionRecord::reason, DecisionRecord::count, DecisionRecord::lastAt)
			.containsExactly(tuple("R1", 1L, T0), tuple("R0", 1_000L, T0.plusSeconds(30)));
	}

	@Test
	void recordsWrittenBeforeCountsReadAsOneDecision() {
		this.jdbc.sql("""
				insert into decision_record (request_id, engine_id, subject_engine_id, platform, action_type, status,
				    reason, decided_at, duration_us)
				values ('old', 'a', 'a', 'gmail', 'send_email', 'denied', 'ACTION_NOT_GRANTED', :at, 1)""")
			.param("at", Timestamps.toColumn(T0))
			.update();
		DecisionRecord old = this.repository.find(query(null, null, null, null, null, null, null, 1)).get(0);
		assertThat(old.count()).isEqualTo(1);
		assertThat(old.lastAt()).isEqualTo(T0);
	}

	@Test
	void deleteDecidedBeforeDeletesOnlyOlderRecordsAtMostTheLimit() {
		this.repository.insertAll(
				List.of(record("a", "a", "gmail", "denied", "R0", 0), record("a", "a", "gmail", "denied", "R1", 1),
						record("a", "a", "gmail", "denied", "R2", 2), record("a", "a", "gmail", "denied", "R3", 10)));
		assertThat(this.repository.deleteDecidedBefore(T0.plusSeconds(5), 2)).isEqualTo(2);
		assertThat(this.repository.deleteDecidedBefore(T0.plusSeconds(5), 2)).isEqualTo(1);
		assertThat(reasons(query(null, null, null, null, null, null, null, 10))).containsExactly("R3");
	}

	@Test
	void newestBeyondAndDeleteUpToKeepTheNewestRecords() {
		for (int i = 0; i < 5; i++) {
			this.repository.insertAll(List.of(record("a", "a", "gmail", "denied", "R" + i, i)));
		}
		assertThat(this.repository.newestBeyond(5)).isNull();
		Long beyond = this.repository.newestBeyond(2);
		assertThat(this.repository.deleteUpTo(beyond, 2)).isEqualTo(2);
		assertThat(this.repository.deleteUpTo(beyond, 2)).isEqualTo(1);
		assertThat(reasons(query(null, null, null, null, null, null, null, 10))).containsExactly("R4", "R3");
	}

	@Test
	void retentionDeletesByAgeThenBeyondTheMostKept() {
		for (int i = 0; i < 7; i++) {
			this.repository.insertAll(List.of(record("a", "a", "gmail", "denied", "R" + i, i * 60)));
		}
		DecisionRetention retention = new DecisionRetention(this.repository,
				Clock.fixed(T0.plusSeconds(150), ZoneOffset.UTC),
				properties(Map.of("engine-control.decisions.retention", "2m", "engine-control.decisions.max-records",
						"3", "engine-control.decisions.retention-batch-size", "1")),
				new SimpleMeterRegistry());
		assertThat(retention.purge()).isEqualTo(4);
		assertThat(reasons(query(null, null, null, null, null, null, null, 10))).containsExactly("R6", "R5", "R4");
	}

	@Test
	void aBatchWithARowTheStoreRefusesIsWrittenRowByRowAndTheOthersAreStored() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		DecisionRecorder recorder = new DecisionRecorder(this.repository, meters, Clock.fixed(T0, ZoneOffset.UTC),
				properties(Map.of()));
		recorder.record(record("a", "a", "gmail", "denied", "R0", 0), false, "gmail", 1_000);
		// A status longer than its column: no store holds it, and fit() does not cut it.
		recorder.record(record("a", "a", "gmail", "refused-by-every-store", "R1", 0), false, "gmail", 1_000);
		recorder.record(record("a", "a", "gmail", "denied", "R2", 0), false, "gmail", 1_000);
		recorder.flush();
		assertThat(reasons(query(null, null, null, null, null, null, null, 10))).containsExactly("R2", "R0");
		assertThat(rejected(meters)).isEqualTo(1);
	}

	static double rejected(SimpleMeterRegistry meters) {
		return meters.get("engine.control.decision.records.dropped")
			.tags("sink", "store", "cause", "rejected")
			.counter()
			.count();
	}

	static EngineControlProperties properties(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("engine-control",
				EngineControlProperties.class);
	}

	List<String> reasons(DecisionRepository.DecisionQuery query) {
		return this.repository.find(query).stream().map(DecisionRecord::reason).toList();
	}

	static DecisionRecord record(String caller, String subject, String platform, String status, String reason,
			int seconds) {
		return new DecisionRecord(0, "req", null, caller, subject, platform, "send_email", status, reason, null, 1L,
				T0.plusSeconds(seconds), 5);
	}

	static DecisionRepository.DecisionQuery query(String engineId, String platform, String reason, String status,
			Instant since, Instant until, Long before, int limit) {
		return new DecisionRepository.DecisionQuery(engineId, platform, reason, status, since, until, before, limit);
	}

}
