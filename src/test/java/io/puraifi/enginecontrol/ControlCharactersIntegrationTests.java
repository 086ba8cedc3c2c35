package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Text the store cannot hold is refused at the edge: a NUL or another C0 control
 * character in any field that is stored or logged is a 400 problem naming the field, on
 * H2 and PostgreSQL alike (PostgreSQL refuses NUL in text, so it used to be a 500, and in
 * a batch check's {@code correlation_id} it failed the decision writer's whole batch).
 * Tab, CR and LF pass where free text is. The whole service, over real HTTP.
 */
class ControlCharactersIntegrationTests {

	private static final String ADMIN_KEY = "control-characters-tests-admin-key-0123456789";

	private static final String NUL = "\\u0000";

	@TempDir
	static Path dataDir;

	static ConfigurableApplicationContext h2;

	static ConfigurableApplicationContext postgres;

	@BeforeAll
	static void start() {
		h2 = start("h2");
		TestDatabase database = TestDatabases.emptyPostgres(ControlCharactersIntegrationTests.class);
		postgres = start("postgres", "--spring.datasource.url=" + database.url(),
				"--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password());
	}

	private static ConfigurableApplicationContext start(String name, String... more) {
		List<String> args = new java.util.ArrayList<>(
				List.of("--server.port=0", "--engine-control.data-dir=" + dataDir.resolve(name),
						"--engine-control.bootstrap-admin-key=" + ADMIN_KEY, "--logging.level.io.puraifi=ERROR"));
		args.addAll(List.of(more));
		return new SpringApplicationBuilder(EngineControlApplication.class).run(args.toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		Stream.of(h2, postgres).filter(java.util.Objects::nonNull).forEach(ConfigurableApplicationContext::close);
	}

	static Stream<String> stores() {
		return Stream.of("h2", "postgres");
	}

	private static ConfigurableApplicationContext store(String name) {
		return name.equals("h2") ? h2 : postgres;
	}

	private static EngineControlClient admin(String store) {
		int port = ((WebServerApplicationContext) store(store)).getWebServer().getPort();
		return new EngineControlClient(port, "admin", ADMIN_KEY);
	}

	@ParameterizedTest
	@MethodSource("stores")
	void controlCharactersInStoredOrLoggedFieldsAreRefusedNamingTheField(String store) {
		EngineControlClient admin = admin(store);
		JdbcClient jdbc = store(store).getBean(JdbcClient.class);
		Map<String, Long> before = counts(jdbc);
		Map<String, String[]> refused = Map.of(
				"""
						POST /engines/register {"engine_id":"nul_desc","description":"a%sb","capabilities":{"gmail":["send_email"]}}"""
					.formatted(NUL),
				new String[] { "description" }, """
						POST /engines/validate {"engine_id":"a%sb","engine_key":"ec_x"}""".formatted(NUL),
				new String[] { "engine_id" }, """
						POST /log/engine_event {"level":"info","event_type":"x","message":"m%s"}""".formatted(NUL),
				new String[] { "message" }, """
						POST /log/engine_event {"level":"info","event_type":"x","attributes":{"k":"v\\u0001"}}""",
				new String[] { "attributes.k" },
				"""
						POST /log/engine_event {"level":"info","event_type":"x","attributes":{"k%s":1}}"""
					.formatted(NUL),
				new String[] { "attributes" },
				"""
						POST /log/engine_events {"events":[{"level":"info","event_type":"x"},{"level":"info","event_type":"y","message":"%s"}]}"""
					.formatted(NUL),
				new String[] { "events[1].message" }, """
						PUT /admin/platforms/notion/status {"status":"degraded","message":"slow%s"}""".formatted(NUL),
				new String[] { "message" },
				"""
						POST /admin/platforms/notion/maintenance-windows {"starts_at":"2030-01-01T00:00:00Z","ends_at":"2030-01-01T01:00:00Z","message":"%s"}"""
					.formatted(NUL),
				new String[] { "message" },
				"""
						POST /admin/enrollment-tokens {"capabilities":{"gmail":["send_email"]},"description":"tab\\ttoo\\u001b"}""",
				new String[] { "description" });
		refused.forEach((request, fields) -> {
			Response response = send(admin, request);
			assertThat(response.status()).as(store + ": " + request + " -> " + response.body()).isEqualTo(400);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.json().get("errors").findValuesAsString("field")).as(request).containsExactly(fields);
			assertThat(response.json().get("errors").get(0).get("message").asString()).contains("control characters");
		});
		assertThat(counts(jdbc)).as("nothing stored by a refused request").isEqualTo(before);
	}

	@ParameterizedTest
	@MethodSource("stores")
	void tabCarriageReturnAndLineFeedPassWhereFreeTextIs(String store) {
		EngineControlClient admin = admin(store);
		Response registered = admin.post("/engines/register",
				"""
						{"engine_id":"multiline","description":"line one\\r\\nline two\\tend","capabilities":{"gmail":["send_email"]}}""");
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		assertThat(admin.get("/admin/engines/multiline").json().get("description").asString())
			.isEqualTo("line one\r\nline two\tend");
		Response event = admin.post("/log/engine_event", """
				{"level":"info","event_type":"multiline","message":"a\\nb","attributes":{"k":"c\\td"}}""");
		assertThat(event.status()).as(event.body()).isEqualTo(202);
	}

	@ParameterizedTest
	@MethodSource("stores")
	void controlCharacterInABatchItemRefusesThatItemAndNoDecisionRecordIsLost(String store) {
		EngineControlClient admin = admin(store);
		Response batch = admin.post("/actions/check/batch", """
				{"checks":[{"correlation_id":"bad%sid","platform":"gmail","action_type":"send_email"},\
				{"correlation_id":"tab\\tid","platform":"gmail","action_type":"send_email"},\
				{"correlation_id":"good-%s","platform":"slack","action_type":"post_message"},\
				{"engine_id":"x%sy","platform":"gmail","action_type":"send_email"}]}""".formatted(NUL, store, NUL));
		assertThat(batch.status()).as(batch.body()).isEqualTo(200);
		JsonNode results = batch.json().get("results");
		for (int i = 0; i < 2; i++) {
			JsonNode error = results.get(i).get("error");
			assertThat(error.get("status").asInt()).isEqualTo(400);
			assertThat(error.get("errors").get(0).get("field").asString()).isEqualTo("correlation_id");
		}
		assertThat(results.get(2).get("allowed").asBoolean()).as("the operator holds no slack grant").isFalse();
		assertThat(results.get(3).get("error").get("errors").get(0).get("field").asString()).isEqualTo("engine_id");
		// Every item keeps its log line: one whose engine_id was dropped from its record
		// failed to log (a null subject).
		String scrape = admin.get("/actuator/prometheus").body();
		assertThat(scrape.lines()
			.filter((line) -> line.startsWith("engine_control_decision_records_dropped_total{")
					&& line.contains("sink=\"log\"") && line.contains("cause=\"error\""))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum()).isZero();
		// Every item has its record; on PostgreSQL a NUL among them failed the writer's
		// whole batch.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode records = admin.get("/admin/decisions?engine_id=admin").json().get("decisions");
			assertThat(records.findValuesAsString("correlation_id")).contains("good-" + store);
			assertThat(records.findValuesAsString("status")).contains("error");
		});
	}

	private static Response send(EngineControlClient admin, String request) {
		String[] parts = request.strip().split(" ", 3);
		return admin.send(parts[0], parts[1], parts[2]);
	}

	private static Map<String, Long> counts(JdbcClient jdbc) {
		Map<String, Long> counts = new java.util.TreeMap<>();
		for (String table : List.of("engine", "engine_event", "platform", "maintenance_window", "enrollment_token",
				"admin_audit", "store_revision")) {
			counts.put(table, jdbc.sql("select count(*) from " + table).query(Long.class).single());
		}
		counts.put("revision", jdbc.sql("select revision from store_revision").query(Long.class).single());
		return counts;
	}

}
