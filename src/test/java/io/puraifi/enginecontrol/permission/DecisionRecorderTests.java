package io.puraifi.enginecontrol.permission;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.puraifi.enginecontrol.system.EngineControlProperties;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What is kept where, and that nothing is lost silently: the recorder is driven without
 * its writer thread, then flushed.
 */
class DecisionRecorderTests {

	private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final List<DecisionRecord> stored = new ArrayList<>();

	private boolean storeFails;

	private final DecisionRepository repository = new DecisionRepository() {

		@Override
		public void insertAll(List<DecisionRecord> records) {
			if (DecisionRecorderTests.this.storeFails) {
				throw new DataAccessResourceFailureException("down");
			}
			DecisionRecorderTests.this.stored.addAll(records);
		}

		@Override
		public List<DecisionRecord> find(DecisionQuery query) {
			return List.of();
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
		assertThat(this.stored).extracting(DecisionRecord::reason)
			.containsExactly("ACTION_NOT_GRANTED", "SERVICE_UNAVAILABLE", "ALLOWED");
		assertThat(this.stored).extracting(DecisionRecord::decidedAt).containsOnly(NOW);
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
		assertThat(this.stored).hasSize(1);
	}

	@Test
	void whenTheQueueIsFullRecordsAreCountedAsDropped() {
		DecisionRecorder recorder = recorder(Map.of("engine-control.decisions.queue-capacity", "2"));
		for (int i = 0; i < 5; i++) {
			recorder.record(decision("action", DecisionRecord.DENIED, "ACTION_NOT_GRANTED"), false, "gmail", 1_000);
		}
		recorder.flush();
		assertThat(this.stored).hasSize(2);
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

	private DecisionRecorder recorder(Map<String, String> settings) {
		EngineControlProperties properties = new Binder(new MapConfigurationPropertySource(settings))
			.bindOrCreate("engine-control", EngineControlProperties.class);
		return new DecisionRecorder(this.repository, this.meters, Clock.fixed(NOW, ZoneOffset.UTC), properties);
	}

	private static DecisionRecord decision(String caller, String status, String reason) {
		return new DecisionRecord(0, "req-1", null, caller, "action", "gmail", "send_email", status, reason, null, 7L,
				null, 12);
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
