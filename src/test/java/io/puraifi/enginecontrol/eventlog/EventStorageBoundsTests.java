package io.puraifi.enginecontrol.eventlog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events are bounded by age, by their total and per engine: the oldest go first, and an
 * engine over its cap loses its own oldest events, never another engine's.
 */
class EventStorageBoundsTests {

	private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private JdbcClient jdbc;

	private EventRepository repository;

	private int sequence;

	@BeforeEach
	void createRepository() {
		TestDatabase database = TestDatabases.h2(EventStorageBoundsTests.class);
		this.jdbc = database.jdbcClient();
		this.repository = new JdbcEventRepository(this.jdbc, database.transactionTemplate());
	}

	@Test
	void engineOverItsCapLosesItsOldestEventsOthersKeepTheirs() {
		EventCap cap = new EventCap(this.repository, settings(Duration.ofDays(30), 1_000, 10, 3), 100, this.meters);
		store(cap, "quiet", 5, NOW.minusSeconds(100));
		for (int i = 0; i < 30; i++) {
			store(cap, "loud", 1, NOW.plusSeconds(i));
			// At most a tenth over the cap (one event), never under it.
			assertThat(this.repository.countByEngine("loud")).isBetween(Math.min(i + 1, 10L), 11L);
		}
		assertThat(this.repository.countByEngine("quiet")).isEqualTo(5);
		List<Instant> kept = receivedTimes("loud");
		assertThat(kept).allMatch((received) -> !received.isBefore(NOW.plusSeconds(19)));
		assertThat(kept).contains(NOW.plusSeconds(29));
		assertThat(this.meters.get("engine.control.events.deleted").counter().count()).isEqualTo(30 - kept.size());
	}

	@Test
	void capCountsAnEngineOnceThenEstimatesWithoutCounting() {
		EventCap cap = new EventCap(this.repository, settings(Duration.ofDays(30), 1_000, 100, 1_000), 100,
				this.meters);
		store(cap, "engine", 40, NOW);
		// Stored behind the cap's back: the estimate does not see them until it counts
		// again, which it does only once over the cap by a tenth.
		insert("engine", 50, NOW.plusSeconds(1));
		store(cap, "engine", 10, NOW.plusSeconds(2));
		assertThat(this.repository.countByEngine("engine")).isEqualTo(100);
		store(cap, "engine", 61, NOW.plusSeconds(3));
		assertThat(this.repository.countByEngine("engine")).isEqualTo(100);
		assertThat(receivedTimes("engine")).doesNotContain(NOW).contains(NOW.plusSeconds(3));
	}

	@Test
	void retentionDeletesExpiredThenTheOldestBeyondMaxEvents() {
		EventCap cap = new EventCap(this.repository, settings(Duration.ofDays(30), 25, 1_000, 4), 100, this.meters);
		insert("a", 5, NOW.minus(Duration.ofDays(31)));
		insert("a", 20, NOW.minusSeconds(100));
		insert("b", 10, NOW.minusSeconds(50));
		EventRetention retention = new EventRetention(this.repository, cap, Clock.fixed(NOW, ZoneOffset.UTC),
				settings(Duration.ofDays(30), 25, 1_000, 4), this.meters);
		assertThat(retention.purge()).isEqualTo(10);
		assertThat(this.repository.count()).isEqualTo(25);
		assertThat(this.repository.countByEngine("b")).isEqualTo(10);
		assertThat(receivedTimes("a")).hasSize(15).allMatch(NOW.minusSeconds(100)::equals);
		assertThat(retention.purge()).isZero();
	}

	@Test
	void retentionUnderTheBoundsDeletesNothing() {
		EventCap cap = new EventCap(this.repository, settings(Duration.ofDays(30), 25, 1_000, 4), 100, this.meters);
		insert("a", 25, NOW.minusSeconds(100));
		EventRetention retention = new EventRetention(this.repository, cap, Clock.fixed(NOW, ZoneOffset.UTC),
				settings(Duration.ofDays(30), 25, 1_000, 4), this.meters);
		assertThat(retention.purge()).isZero();
		assertThat(this.repository.count()).isEqualTo(25);
	}

	private void store(EventCap cap, String engineId, int count, Instant received) {
		insert(engineId, count, received);
		cap.stored(engineId, count);
	}

	private void insert(String engineId, int count, Instant received) {
		this.repository.insertAll(IntStream.range(0, count)
			.mapToObj((i) -> new EngineEvent(String.format("00000000-0000-0000-0000-%012d", ++this.sequence), engineId,
					EventLevel.INFO, "test", null, null, received, received, "req"))
			.toList());
	}

	private List<Instant> receivedTimes(String engineId) {
		return this.repository.find(new EventRepository.EventQuery(engineId, null, null, null, null, null, 1_000))
			.stream()
			.map(EngineEvent::receivedAt)
			.toList();
	}

	private static EngineControlProperties.Events settings(Duration retention, long maxEvents, long maxPerEngine,
			int batchSize) {
		return new EngineControlProperties.Events(4096, 50, 4, 1024, retention, Duration.ofHours(1), batchSize,
				maxEvents, maxPerEngine);
	}

}
