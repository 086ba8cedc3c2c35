package io.puraifi.enginecontrol.eventlog;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What every {@link EventRepository} store must do. Each database runs these cases
 * through a small subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EventRepositoryContractTests {

	private static final Instant OCCURRED = Instant.parse("2025-03-04T05:06:07.123456Z");

	private static final Instant RECEIVED = Instant.parse("2025-03-04T05:06:08.000001Z");

	private EventRepository repository;

	private JdbcClient jdbc;

	abstract TestDatabase createDatabase();

	@BeforeAll
	void createRepository() {
		TestDatabase database = createDatabase();
		this.jdbc = database.jdbcClient();
		this.repository = new JdbcEventRepository(this.jdbc, database.transactionTemplate());
	}

	@BeforeEach
	void deleteEvents() {
		this.jdbc.sql("delete from engine_event").update();
	}

	@Test
	void insertThenFindReturnsTheSameEvent() {
		EngineEvent event = new EngineEvent("5b0a4c1e-0d9f-4a7e-9b1e-1f2d3c4b5a69", "action", EventLevel.WARN,
				"send_retry", "Retrying after 429 — Grüße 📨", "{\"attempt\":2,\"to\":[\"a@example.com\"]}", OCCURRED,
				RECEIVED, "req-42");
		this.repository.insert(event);
		assertThat(this.repository.findById(event.eventId())).contains(event);
	}

	@Test
	void insertWithoutMessageOrAttributesThenFoundWithNulls() {
		EngineEvent event = new EngineEvent("6c1b5d2f-1e0a-4b8f-8c2f-2a3e4d5c6b7a", "action", EventLevel.DEBUG,
				"heartbeat", null, null, OCCURRED, RECEIVED, "req-43");
		this.repository.insert(event);
		EngineEvent found = this.repository.findById(event.eventId()).get();
		assertThat(found.message()).isNull();
		assertThat(found.attributesJson()).isNull();
		assertThat(found).isEqualTo(event);
	}

	@Test
	void insertWithLargeAttributesThenFoundWhole() {
		String attributes = "{\"blob\":\"" + "x".repeat(60_000) + "\"}";
		EngineEvent event = new EngineEvent("7d2c6e3a-2f1b-4c9a-9d3a-3b4f5e6d7c8b", "action", EventLevel.INFO, "upload",
				"m".repeat(4096), attributes, OCCURRED, RECEIVED, "r".repeat(128));
		this.repository.insert(event);
		assertThat(this.repository.findById(event.eventId())).contains(event);
	}

	@Test
	void timestampsRoundTripToTheMicrosecond() {
		Instant occurred = Instant.parse("1999-12-31T23:59:59.999999Z");
		Instant received = Instant.parse("2038-01-19T03:14:08.000001Z");
		EngineEvent event = new EngineEvent("8e3d7f4b-3a2c-4dab-8e4b-4c5a6f7e8d9c", "action", EventLevel.ERROR,
				"send_failed", "boom", null, occurred, received, "req-44");
		this.repository.insert(event);
		EngineEvent found = this.repository.findById(event.eventId()).get();
		assertThat(found.occurredAt()).isEqualTo(occurred);
		assertThat(found.receivedAt()).isEqualTo(received);
	}

	@Test
	void timestampsFinerThanMicrosecondsAreTruncatedTheSameWayEverywhere() {
		Instant occurred = Instant.parse("2025-03-04T05:06:07.123456789Z");
		Instant received = Instant.parse("2025-03-04T05:06:07.999999999Z");
		EngineEvent event = new EngineEvent("9f4e8a5c-4b3d-4ebc-9f5c-5d6b7a8f9e0d", "action", EventLevel.INFO,
				"precise", null, null, occurred, received, "req-45");
		this.repository.insert(event);
		EngineEvent found = this.repository.findById(event.eventId()).get();
		assertThat(found.occurredAt()).isEqualTo(occurred.truncatedTo(ChronoUnit.MICROS));
		assertThat(found.receivedAt()).isEqualTo(received.truncatedTo(ChronoUnit.MICROS));
	}

	@Test
	void findWhenUnknownThenEmpty() {
		assertThat(this.repository.findById("00000000-0000-0000-0000-000000000000")).isEmpty();
	}

	@Test
	void insertWhenIdTakenThenDuplicateKey() {
		EngineEvent event = new EngineEvent("0a5f9b6d-5c4e-4fcd-8a6d-6e7c8b9a0f1e", "action", EventLevel.INFO, "first",
				null, null, OCCURRED, RECEIVED, "req-46");
		this.repository.insert(event);
		EngineEvent again = new EngineEvent(event.eventId(), "other", EventLevel.INFO, "second", null, null, OCCURRED,
				RECEIVED, "req-47");
		assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> this.repository.insert(again));
		assertThat(this.repository.findById(event.eventId())).contains(event);
	}

	@Test
	void insertAllStoresEveryEventOrNone() {
		EngineEvent first = event("11111111-0000-0000-0000-000000000001", "action", EventLevel.INFO, "a", RECEIVED);
		EngineEvent clash = event("11111111-0000-0000-0000-000000000001", "action", EventLevel.INFO, "b", RECEIVED);
		assertThatExceptionOfType(DuplicateKeyException.class)
			.isThrownBy(() -> this.repository.insertAll(List.of(first, clash)));
		assertThat(this.repository.findById(first.eventId())).isEmpty();
		EngineEvent second = event("11111111-0000-0000-0000-000000000002", "action", EventLevel.INFO, "b", RECEIVED);
		this.repository.insertAll(List.of(first, second));
		assertThat(this.repository.findById(second.eventId())).contains(second);
	}

	@Test
	void findFiltersNewestFirstAndPagesWithTheCursor() {
		for (int i = 0; i < 5; i++) {
			this.repository.insert(event("22222222-0000-0000-0000-00000000000" + i, "action",
					(i % 2 == 0) ? EventLevel.INFO : EventLevel.ERROR, "send", RECEIVED.plusSeconds(i)));
		}
		this.repository.insert(event("22222222-0000-0000-0000-000000000009", "other", EventLevel.INFO, "send",
				RECEIVED.plusSeconds(9)));
		this.repository.insert(event("22222222-0000-0000-0000-000000000008", "action", EventLevel.INFO, "boot",
				RECEIVED.plusSeconds(8)));

		List<EngineEvent> page = this.repository.find(query("action", null, "send", null, null, null, 2));
		assertThat(page).extracting(EngineEvent::eventId)
			.containsExactly("22222222-0000-0000-0000-000000000004", "22222222-0000-0000-0000-000000000003");
		EngineEvent last = page.get(1);
		List<EngineEvent> next = this.repository.find(query("action", null, "send", null, null,
				new EventRepository.Cursor(last.receivedAt(), last.eventId()), 10));
		assertThat(next).extracting(EngineEvent::eventId)
			.containsExactly("22222222-0000-0000-0000-000000000002", "22222222-0000-0000-0000-000000000001",
					"22222222-0000-0000-0000-000000000000");

		assertThat(this.repository.find(query(null, EventLevel.ERROR, null, null, null, null, 10)))
			.extracting(EngineEvent::eventId)
			.containsExactly("22222222-0000-0000-0000-000000000003", "22222222-0000-0000-0000-000000000001");
		assertThat(this.repository
			.find(query(null, null, null, RECEIVED.plusSeconds(1), RECEIVED.plusSeconds(3), null, 10)))
			.extracting(EngineEvent::eventId)
			.containsExactly("22222222-0000-0000-0000-000000000002", "22222222-0000-0000-0000-000000000001");
		assertThat(this.repository.find(query(null, null, null, null, null, null, 10))).hasSize(7)
			.first()
			.extracting(EngineEvent::engineId)
			.isEqualTo("other");
	}

	@Test
	void cursorBreaksTiesOnEventIdWhenReceivedTogether() {
		for (int i = 0; i < 3; i++) {
			this.repository
				.insert(event("33333333-0000-0000-0000-00000000000" + i, "action", EventLevel.INFO, "batch", RECEIVED));
		}
		List<EngineEvent> first = this.repository.find(query(null, null, null, null, null, null, 1));
		List<EngineEvent> rest = this.repository.find(
				query(null, null, null, null, null, new EventRepository.Cursor(RECEIVED, first.get(0).eventId()), 10));
		assertThat(first).extracting(EngineEvent::eventId).containsExactly("33333333-0000-0000-0000-000000000002");
		assertThat(rest).extracting(EngineEvent::eventId)
			.containsExactly("33333333-0000-0000-0000-000000000001", "33333333-0000-0000-0000-000000000000");
	}

	@Test
	void eventsReceivedTogetherAreListedNewestFirstInTheOrderTheirIdsWereGiven() {
		// 300 ids in one millisecond: the counter in the ids crosses hex digits (0x0ff to
		// 0x100), where a store that did not sort the ids as given would show it.
		EventIds ids = new EventIds(Clock.fixed(RECEIVED, ZoneOffset.UTC));
		List<EngineEvent> batch = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			batch.add(event(ids.next(), "action", EventLevel.INFO, "batch", RECEIVED));
		}
		this.repository.insertAll(batch);
		List<String> newestFirst = new ArrayList<>(batch.stream().map(EngineEvent::eventId).toList());
		Collections.reverse(newestFirst);
		assertThat(this.repository.find(query(null, null, null, null, null, null, 500)))
			.extracting(EngineEvent::eventId)
			.containsExactlyElementsOf(newestFirst);
		List<String> paged = new ArrayList<>();
		EventRepository.Cursor cursor = null;
		while (paged.size() < batch.size()) {
			List<EngineEvent> page = this.repository.find(query(null, null, null, null, null, cursor, 7));
			assertThat(page).isNotEmpty();
			page.forEach((event) -> paged.add(event.eventId()));
			EngineEvent last = page.get(page.size() - 1);
			cursor = new EventRepository.Cursor(last.receivedAt(), last.eventId());
		}
		assertThat(paged).containsExactlyElementsOf(newestFirst);
	}

	@Test
	void deleteReceivedBeforeDeletesOnlyOlderEventsAtMostLimit() {
		for (int i = 0; i < 5; i++) {
			this.repository.insert(event("44444444-0000-0000-0000-00000000000" + i, "action", EventLevel.INFO, "old",
					RECEIVED.minusSeconds(10 + i)));
		}
		this.repository
			.insert(event("44444444-0000-0000-0000-000000000009", "action", EventLevel.INFO, "new", RECEIVED));
		assertThat(this.repository.deleteReceivedBefore(RECEIVED, 3)).isEqualTo(3);
		assertThat(this.repository.deleteReceivedBefore(RECEIVED, 3)).isEqualTo(2);
		assertThat(this.repository.deleteReceivedBefore(RECEIVED, 3)).isZero();
		assertThat(this.repository.find(query(null, null, null, null, null, null, 10))).extracting(EngineEvent::eventId)
			.containsExactly("44444444-0000-0000-0000-000000000009");
	}

	@Test
	void deleteOldestDeletesByReceiptTimeThenIdAtMostLimit() {
		for (int i = 0; i < 4; i++) {
			this.repository.insert(event("55555555-0000-0000-0000-00000000000" + i, (i % 2 == 0) ? "a" : "b",
					EventLevel.INFO, "any", RECEIVED.plusSeconds(4 - i)));
		}
		this.repository.insert(
				event("55555555-0000-0000-0000-000000000009", "a", EventLevel.INFO, "tie", RECEIVED.plusSeconds(1)));
		assertThat(this.repository.count()).isEqualTo(5);
		assertThat(this.repository.deleteOldest(2)).isEqualTo(2);
		assertThat(this.repository.find(query(null, null, null, null, null, null, 10))).extracting(EngineEvent::eventId)
			.containsExactly("55555555-0000-0000-0000-000000000000", "55555555-0000-0000-0000-000000000001",
					"55555555-0000-0000-0000-000000000002");
		assertThat(this.repository.count()).isEqualTo(3);
	}

	@Test
	void deleteOldestOfEngineLeavesOtherEnginesAlone() {
		for (int i = 0; i < 6; i++) {
			this.repository.insert(event("66666666-0000-0000-0000-00000000000" + i, (i < 4) ? "loud" : "quiet",
					EventLevel.INFO, "any", RECEIVED.plusSeconds(i)));
		}
		assertThat(this.repository.countByEngine("loud")).isEqualTo(4);
		assertThat(this.repository.countByEngine("quiet")).isEqualTo(2);
		assertThat(this.repository.countByEngine("unknown")).isZero();
		assertThat(this.repository.deleteOldestOfEngine("loud", 3)).isEqualTo(3);
		assertThat(this.repository.find(query(null, null, null, null, null, null, 10))).extracting(EngineEvent::eventId)
			.containsExactly("66666666-0000-0000-0000-000000000005", "66666666-0000-0000-0000-000000000004",
					"66666666-0000-0000-0000-000000000003");
		assertThat(this.repository.deleteOldestOfEngine("loud", 3)).isEqualTo(1);
		assertThat(this.repository.deleteOldestOfEngine("loud", 3)).isZero();
		assertThat(this.repository.countByEngine("quiet")).isEqualTo(2);
	}

	private static EngineEvent event(String id, String engineId, EventLevel level, String type, Instant received) {
		return new EngineEvent(id, engineId, level, type, null, null, OCCURRED, received, "req");
	}

	private static EventRepository.EventQuery query(String engineId, EventLevel level, String type, Instant since,
			Instant until, EventRepository.Cursor after, int limit) {
		return new EventRepository.EventQuery(engineId, level, type, since, until, after, limit);
	}

}
