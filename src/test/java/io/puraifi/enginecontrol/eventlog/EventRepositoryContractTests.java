package io.puraifi.enginecontrol.eventlog;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

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
		this.repository = new JdbcEventRepository(this.jdbc);
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

}
