package io.puraifi.enginecontrol.permission;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.puraifi.enginecontrol.permission.DecisionRepository.CountUpdate;
import io.puraifi.enginecontrol.support.MovableClock;
import io.puraifi.enginecontrol.support.Settings;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What is kept where, and that nothing is lost silently: the recorder is driven without
 * its writer thread, then flushed.
 */
class DecisionRecorderTests {

	private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final Map<Long, DecisionRecord> rows = new LinkedHashMap<>();

	private final MovableClock clock = new MovableClock(NOW);

	private boolean storeFails;

	private String refusedReason;

	private int insertCalls;

	private int updateCalls;

	private final DecisionRepository repository = new DecisionRepository() {

		private long nextId = 1;

		@Override
		public List<Long> insertAll(List<DecisionRecord> records) {
			DecisionRecorderTests.this.insertCalls++;
			failIfAsked(records.stream().map(DecisionRecord::reason).toList());
			List<Long> ids = new ArrayList<>();
			for (DecisionRecord record : records) {
				long id = this.nextId++;
				DecisionRecorderTests.this.rows.put(id, record);
				ids.add(id);
			}
			return ids;
		}

		@Override
		public void updateCounts(List<CountUpdate> updates) {
			DecisionRecorderTests.this.updateCalls++;
			Map<Long, DecisionRecord> rows = DecisionRecorderTests.this.rows;
			failIfAsked(updates.stream().map((u) -> rows.get(u.decisionId()).reason()).toList());
			for (CountUpdate update : updates) {
				DecisionRecord r = rows.get(update.decisionId());
				rows.put(update.decisionId(),
						new DecisionRecord(update.decisionId(), r.requestId(), r.correlationId(), r.engineId(),
								r.subjectEngineId(), r.platform(), r.actionType(), r.status(), r.reason(), r.flag(),
								r.revision(), r.decidedAt(), r.durationUs(), update.count(), update.lastAt(),
								r.shadow()));
			}
		}

		private void failIfAsked(List<String> reasons) {
			if (DecisionRecorderTests.this.storeFails) {
				throw new DataAccessResourceFailureException("down");
			}
			if (reasons.contains(DecisionRecorderTests.this.refusedReason)) {
				throw new DataIntegrityViolationException("refused");
			}
		}

		@Override
		public List<DecisionRecord> find(DecisionQuery query) {
			return List.of();
		}

		@Override
		public int deleteDecidedBefore(Instant cutoff, int limit) {
			return 0;
		}

		@Override
		public Long newestBeyond(long keep) {
			return null;
		}

		@Override
		public int deleteUpTo(long decisionId, int limit) {
			return 0;
		}

	};

	@Test
	void deniedAndErrorsAndTheOperatorsAreStoredAllowedAreNot() {
		DecisionRecorder recorder = recorder(Map.of());
		recorder.record(decision("action", DecisionRecord.ALLOWED, "ALLOWED"), false, "gmail", 1_000);
		recorder.record(decision("action", DecisionRecord.DENIED, "ACTION_NOT_GRANTED"), false, "gmail", 1_000);
		recorder.record(decision("action", DecisionRecord.ERROR, "SERVICE_UNAVAILABLE"), false, "unknown", 1_000);
		recorder.record(decision("admin", DecisionRecord.ALLOWED, "ALLOWED"), true, "gmail", 1_000);
		recorder.flush();
		assertThat(stored()).extracting(DecisionRecord::reason)
			.containsExactly("ACTION_NOT_GRANTED", "SERVICE_UNAVAILABLE", "ALLOWED");
		assertThat(stored()).extracting(DecisionRecord::decidedAt).containsOnly(NOW);
		assertThat(counter("engine.control.decisions", "result", "allowed")).isEqualTo(2);
		assertThat(counter("engine.control.decisions", "result", "denied")).isEqualTo(1);
		assertThat(this.meters.get("engine.control.check.duration").timer().count()).isEqualTo(4);
		assertThat(dropped()).isZero();
	}

	@Test
	void decisionsAreCountedByResultReasonAndPlatform() {
		DecisionRecorder recorder = recorder(Map.of());
		recorder.record(decision("action", DecisionRecord.ALLOWED, "ALLOWED"), false, "gmail", 1_000);
		recorder.record(decision("action", DecisionRecord.ALLOWED, "ALLOWED"), false, new String("gmail"), 1_000);
		recorder.record(decision("action", DecisionRecord.ALLOWED, "ALLOWED"), false, "slack", 1_000);
		recorder.record(decision("action", DecisionRecord.DENIED, "ACTION_NOT_GRANTED"), false, "gmail", 1_000);
		recorder.record(decision("action", DecisionRecord.ERROR, "INVALID_REQUEST"), false, "unknown", 1_000);
		assertThat(decisions("allowed", "ALLOWED", "gmail")).isEqualTo(2);
		assertThat(decisions("allowed", "ALLOWED", "slack")).isEqualTo(1);
		assertThat(decisions("denied", "ACTION_NOT_GRANTED", "gmail")).isEqualTo(1);
		assertThat(decisions("error", "INVALID_REQUEST", "unknown")).isEqualTo(1);
		assertThat(this.meters.get("engine.control.decisions").counters()).hasSize(4);
	}

	@Test
	void allowedAreStoredWhenPersistAllowedIsSet() {
		DecisionRecorder recorder = recorder(Map.of("engine-control.decisions.persist-allowed", "true"));
		recorder.record(decision("action", DecisionRecord.ALLOWED, "ALLOWED"), false, "gmail", 1_000);
		recorder.flush();
		assertThat(stored()).hasSize(1);
	}

	@Test
	void whenTheQueueIsFullRecordsAreCountedAsDropped() {
		DecisionRecorder recorder = recorder(Map.of("engine-control.decisions.queue-capacity", "2",
				"engine-control.decisions.aggregation-window", "0s"));
		for (int i = 0; i < 5; i++) {
			recorder.record(decision("action", DecisionRecord.DENIED, "ACTION_NOT_GRANTED"), false, "gmail", 1_000);
		}
		recorder.flush();
		assertThat(stored()).hasSize(2);
		assertThat(this.meters.get("engine.control.decision.records.dropped")
			.tags("sink", "store", "cause", "queue_full")
			.counter()
			.count()).isEqualTo(3);
	}

	@Test
	void whenTheStoreFailsRecordsAreCountedAsDropped() {
		DecisionRecorder recorder = recorder(Map.of());
		this.storeFails = true;
		recorder.record(decision("action", DecisionRecord.DENIED, "ACTION_NOT_GRANTED"), false, "gmail", 1_000);
		recorder.record(decision("action", DecisionRecord.DENIED, "UNKNOWN_ACTION"), false, "gmail", 1_000);
		recorder.flush();
		assertThat(this.meters.get("engine.control.decision.records.dropped")
			.tags("sink", "store", "cause", "error")
			.counter()
			.count()).isEqualTo(2);
		assertThat(this.meters.get("engine.control.decision.records.queued").gauge().value()).isZero();
	}

	@Test
	void identicalDenialsWithinTheWindowAreOneRecordWithCountFirstAndLastAndTheFirstsRequestId() {
		DecisionRecorder recorder = recorder(Map.of());
		for (int i = 0; i < 1_000; i++) {
			recorder.record(decision("action", "req-" + i, "gmail", DecisionRecord.DENIED, "ACTION_NOT_GRANTED"), false,
					"gmail", 1_000);
			this.clock.advance(Duration.ofMillis(10));
		}
		recorder.flush();
		assertThat(stored()).hasSize(1);
		DecisionRecord record = stored().get(0);
		assertThat(record.count()).isEqualTo(1_000);
		assertThat(record.decidedAt()).isEqualTo(NOW);
		assertThat(record.lastAt()).isEqualTo(NOW.plusMillis(9_990));
		assertThat(record.requestId()).isEqualTo("req-0");
		assertThat(this.insertCalls).isEqualTo(1);
		assertThat(counter("engine.control.decisions", "result", "denied")).isEqualTo(1_000);
	}

	@Test
	void allowedChecksAShadowRuleWouldHaveDeniedAreStoredAggregatedLikeDenials() {
		DecisionRecorder recorder = recorder(Map.of());
		for (int i = 0; i < 1_000; i++) {
			recorder.record(new DecisionRecord(0, "req-" + i, null, "action", "action", "gmail", "send_email",
					DecisionRecord.ALLOWED, "ALLOWED", null, 7L, null, 12,
					List.of(Decision.ShadowDenial.quota("mail-per-hour"))), false, "gmail", 1_000);
			this.clock.advance(Duration.ofMillis(10));
		}
		recorder.record(decision("action", DecisionRecord.ALLOWED, "ALLOWED"), false, "gmail", 1_000);
		recorder.flush();
		assertThat(stored()).as("one record for the shadow denials, none for the plain allowed check").hasSize(1);
		assertThat(stored().get(0).count()).isEqualTo(1_000);
		assertThat(stored().get(0).shadow()).extracting(Decision.ShadowDenial::rule)
			.containsExactly("quota:mail-per-hour");
	}

	@Test
	void countsAreWrittenAsTheyGrowWithoutNewRecords() {
		DecisionRecorder recorder = recorder(Map.of());
		recorder.record(decision("action", DecisionRecord.DENIED, "ACTION_NOT_GRANTED"), false, "gmail", 1_000);
		recorder.flush();
		assertThat(stored()).extracting(DecisionRecord::count).containsExactly(1L);
		this.clock.advance(Duration.ofSeconds(1));
		recorder.record(decision("action", DecisionRecord.DENIED, "ACTION_NOT_GRANTED"), false, "gmail", 1_000);
		recorder.record(decision("action", DecisionRecord.DENIED, "ACTION_NOT_GRANTED"), false, "gmail", 1_000);
		recorder.flush();
		assertThat(stored()).extracting(DecisionRecord::count, DecisionRecord::lastAt)
			.containsExactly(tuple(3L, NOW.plusSeconds(1)));
		int updates = this.updateCalls;
		recorder.flush();
		assertThat(this.updateCalls).as("nothing changed, nothing written").isEqualTo(updates);
	}

	@Test
	void everyDecisionStillWritesItsLogLine() {
		Logger logger = (Logger) LoggerFactory.getLogger("engine-control.decision");
		ListAppender<ILoggingEvent> lines = new ListAppender<>();
		lines.start();
		logger.addAppender(lines);
		try {
			DecisionRecorder recorder = recorder(Map.of());
			for (int i = 0; i < 5; i++) {
				recorder.record(decision("action", DecisionRecord.DENIED, "ACTION_NOT_GRANTED"), false, "gmail", 1_000);
			}
			recorder.flush();
			assertThat(lines.list).hasSize(5);
			assertThat(stored()).hasSize(1);
		}
		finally {
			logger.detachAppender(lines);
		}
	}

	@Test
	void decisionsDifferingInCallerSubjectPlatformActionStatusOrReasonAreSeparateRecords() {
		DecisionRecorder recorder = recorder(Map.of());
		List<DecisionRecord> kinds = List.of(
				new DecisionRecord(0, "r", null, "a", "a", "gmail", "read_email", "denied", "ACTION_NOT_GRANTED", null,
						1L, null, 1),
				new DecisionRecord(0, "r", null, "b", "a", "gmail", "read_email", "denied", "ACTION_NOT_GRANTED", null,
						1L, null, 1),
				new DecisionRecord(0, "r", null, "b", "b", "gmail", "read_email", "denied", "ACTION_NOT_GRANTED", null,
						1L, null, 1),
				new DecisionRecord(0, "r", null, "a", "a", "slack", "read_email", "denied", "ACTION_NOT_GRANTED", null,
						1L, null, 1),
				new DecisionRecord(0, "r", null, "a", "a", "gmail", "send_email", "denied", "ACTION_NOT_GRANTED", null,
						1L, null, 1),
				new DecisionRecord(0, "r", null, "a", "a", "gmail", "read_email", "denied", "PLATFORM_MAINTENANCE",
						null, 1L, null, 1),
				new DecisionRecord(0, "r", null, "a", "a", "gmail", "read_email", "error", "FORBIDDEN", null, null,
						null, 1));
		for (int round = 0; round < 3; round++) {
			for (DecisionRecord kind : kinds) {
				recorder.record(kind, false, "gmail", 1_000);
			}
		}
		recorder.flush();
		assertThat(stored()).hasSize(kinds.size()).extracting(DecisionRecord::count).containsOnly(3L);
	}

	@Test
	void aDenialAfterTheWindowStartsANewRecordAndTheEndedOneIsClosed() {
		DecisionRecorder recorder = recorder(Map.of("engine-control.decisions.aggregation-window", "60s"));
		recorder.record(decision("action", DecisionRecord.DENIED, "ACTION_NOT_GRANTED"), false, "gmail", 1_000);
		this.clock.advance(Duration.ofSeconds(59));
		recorder.record(decision("action", DecisionRecord.DENIED, "ACTION_NOT_GRANTED"), false, "gmail", 1_000);
		recorder.flush();
		assertThat(open()).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(1));
		recorder.flush();
		assertThat(open()).as("the ended window is closed").isZero();
		recorder.record(decision("action", DecisionRecord.DENIED, "ACTION_NOT_GRANTED"), false, "gmail", 1_000);
		recorder.flush();
		assertThat(stored()).extracting(DecisionRecord::count, DecisionRecord::decidedAt, DecisionRecord::lastAt)
			.containsExactly(tuple(2L, NOW, NOW.plusSeconds(59)), tuple(1L, NOW.plusSeconds(60), NOW.plusSeconds(60)));
	}

	@Test
	void allowedDecisionsAreNeverAggregated() {
		DecisionRecorder recorder = recorder(Map.of("engine-control.decisions.persist-allowed", "true"));
		for (int i = 0; i < 3; i++) {
			recorder.record(decision("action", DecisionRecord.ALLOWED, "ALLOWED"), false, "gmail", 1_000);
			recorder.record(decision("admin", DecisionRecord.ALLOWED, "ALLOWED"), true, "gmail", 1_000);
		}
		recorder.flush();
		assertThat(stored()).hasSize(6).extracting(DecisionRecord::count).containsOnly(1L);
	}

	@Test
	void aWindowOfZeroStoresEachDenial() {
		DecisionRecorder recorder = recorder(Map.of("engine-control.decisions.aggregation-window", "0s"));
		for (int i = 0; i < 3; i++) {
			recorder.record(decision("action", DecisionRecord.DENIED, "ACTION_NOT_GRANTED"), false, "gmail", 1_000);
		}
		recorder.flush();
		assertThat(stored()).hasSize(3).extracting(DecisionRecord::count).containsOnly(1L);
	}

	@Test
	void beyondTheMostOpenAggregatesANewKindIsStoredOneByOne() {
		DecisionRecorder recorder = recorder(Map.of("engine-control.decisions.aggregation-max-open", "2"));
		for (int i = 0; i < 3; i++) {
			recorder.record(decision("action", DecisionRecord.DENIED, "R1"), false, "gmail", 1_000);
			recorder.record(decision("action", DecisionRecord.DENIED, "R2"), false, "gmail", 1_000);
			recorder.record(decision("action", DecisionRecord.DENIED, "R3"), false, "gmail", 1_000);
		}
		recorder.flush();
		assertThat(stored()).extracting(DecisionRecord::reason, DecisionRecord::count)
			.containsExactlyInAnyOrder(tuple("R1", 3L), tuple("R2", 3L), tuple("R3", 1L), tuple("R3", 1L),
					tuple("R3", 1L));
		assertThat(open()).isEqualTo(2);
	}

	@Test
	void decisionsWithValuesLongerThanTheirColumnsAreNotKeptOpenButStoredOneByOne() {
		DecisionRecorder recorder = recorder(Map.of());
		for (int i = 0; i < 3; i++) {
			recorder.record(decision("action", "req-" + i, "p".repeat(65), DecisionRecord.ERROR, "INVALID_REQUEST"),
					false, "unknown", 1_000);
		}
		assertThat(open()).isZero();
		recorder.flush();
		assertThat(stored()).hasSize(3).extracting(DecisionRecord::count).containsOnly(1L);
	}

	@Test
	void whenTheQueueIsFullTheFirstOfAnAggregateDropsItsWholeCount() {
		DecisionRecorder recorder = recorder(Map.of("engine-control.decisions.queue-capacity", "1"));
		recorder.record(decision("action", DecisionRecord.DENIED, "R1"), false, "gmail", 1_000);
		recorder.record(decision("action", DecisionRecord.DENIED, "R2"), false, "gmail", 1_000);
		recorder.record(decision("action", DecisionRecord.DENIED, "R2"), false, "gmail", 1_000);
		recorder.flush();
		assertThat(stored()).extracting(DecisionRecord::reason).containsExactly("R1");
		assertThat(this.meters.get("engine.control.decision.records.dropped")
			.tags("sink", "store", "cause", "queue_full")
			.counter()
			.count()).isEqualTo(2);
	}

	@Test
	void aBatchWithARecordTheStoreRefusesIsWrittenRowByRow() {
		DecisionRecorder recorder = recorder(Map.of());
		this.refusedReason = "BAD";
		recorder.record(decision("action", DecisionRecord.DENIED, "R1"), false, "gmail", 1_000);
		recorder.record(decision("action", DecisionRecord.DENIED, "BAD"), false, "gmail", 1_000);
		recorder.record(decision("action", DecisionRecord.DENIED, "BAD"), false, "gmail", 1_000);
		recorder.record(decision("action", DecisionRecord.DENIED, "R2"), false, "gmail", 1_000);
		recorder.flush();
		assertThat(stored()).extracting(DecisionRecord::reason).containsExactly("R1", "R2");
		assertThat(rejected()).as("the refused record and the one that joined it").isEqualTo(2);
		assertThat(open()).isEqualTo(2);
	}

	@Test
	void aCountTheStoreRefusesIsDroppedAndTheOtherCountsAreWritten() {
		DecisionRecorder recorder = recorder(Map.of());
		recorder.record(decision("action", DecisionRecord.DENIED, "R1"), false, "gmail", 1_000);
		recorder.record(decision("action", DecisionRecord.DENIED, "BAD"), false, "gmail", 1_000);
		recorder.record(decision("action", DecisionRecord.DENIED, "R2"), false, "gmail", 1_000);
		recorder.flush();
		this.refusedReason = "BAD";
		for (String reason : List.of("R1", "BAD", "R2")) {
			recorder.record(decision("action", DecisionRecord.DENIED, reason), false, "gmail", 1_000);
		}
		recorder.flush();
		assertThat(stored()).extracting(DecisionRecord::reason, DecisionRecord::count)
			.containsExactly(tuple("R1", 2L), tuple("BAD", 1L), tuple("R2", 2L));
		assertThat(rejected()).isEqualTo(1);
		assertThat(open()).isEqualTo(2);
	}

	@Test
	void countsNotWrittenDuringAnOutageAreWrittenAtTheNextInterval() {
		DecisionRecorder recorder = recorder(Map.of());
		recorder.record(decision("action", DecisionRecord.DENIED, "R1"), false, "gmail", 1_000);
		recorder.flush();
		this.storeFails = true;
		recorder.record(decision("action", DecisionRecord.DENIED, "R1"), false, "gmail", 1_000);
		recorder.flush();
		this.storeFails = false;
		recorder.flush();
		assertThat(stored()).extracting(DecisionRecord::count).containsExactly(2L);
		assertThat(dropped()).isZero();
	}

	@Test
	void onShutdownOpenCountsAreWritten() {
		DecisionRecorder recorder = recorder(Map.of());
		recorder.record(decision("action", DecisionRecord.DENIED, "R1"), false, "gmail", 1_000);
		recorder.flush();
		recorder.record(decision("action", DecisionRecord.DENIED, "R1"), false, "gmail", 1_000);
		recorder.stop();
		assertThat(stored()).extracting(DecisionRecord::count).containsExactly(2L);
		assertThat(open()).isZero();
	}

	@Test
	void aNegativeWindowOrANonPositiveIntervalOrRetentionIsRefusedNamingTheSetting() {
		assertThat(Settings.bindFailure("engine-control.decisions.aggregation-window", "-1s"))
			.isEqualTo("engine-control.decisions.aggregation-window must not be negative");
		assertThat(Settings.bindFailure("engine-control.decisions.aggregation-flush-interval", "0s"))
			.isEqualTo("engine-control.decisions.aggregation-flush-interval must be positive");
		assertThat(Settings.bindFailure("engine-control.decisions.retention", "0s"))
			.isEqualTo("engine-control.decisions.retention must be positive");
		assertThat(Settings.bindFailure("engine-control.decisions.retention-interval", "-5m"))
			.isEqualTo("engine-control.decisions.retention-interval must be positive");
	}

	private List<DecisionRecord> stored() {
		return new ArrayList<>(this.rows.values());
	}

	private double rejected() {
		return this.meters.get("engine.control.decision.records.dropped")
			.tags("sink", "store", "cause", "rejected")
			.counter()
			.count();
	}

	private double open() {
		return this.meters.get("engine.control.decision.records.open").gauge().value();
	}

	private DecisionRecorder recorder(Map<String, String> settings) {
		EngineControlProperties properties = Settings.bind(settings);
		return new DecisionRecorder(this.repository, this.meters, this.clock, properties);
	}

	private static DecisionRecord decision(String caller, String status, String reason) {
		return decision(caller, "req-1", "gmail", status, reason);
	}

	private static DecisionRecord decision(String caller, String requestId, String platform, String status,
			String reason) {
		return new DecisionRecord(0, requestId, null, caller, "action", platform, "send_email", status, reason, null,
				7L, null, 12);
	}

	private double counter(String name, String tag, String value) {
		return this.meters.get(name).tag(tag, value).counters().stream().mapToDouble((c) -> c.count()).sum();
	}

	private double decisions(String result, String reason, String platform) {
		return this.meters.get("engine.control.decisions")
			.tag("result", result)
			.tag("reason", reason)
			.tag("platform", platform)
			.counter()
			.count();
	}

	private double dropped() {
		return this.meters.get("engine.control.decision.records.dropped")
			.counters()
			.stream()
			.mapToDouble((c) -> c.count())
			.sum();
	}

}
