package io.puraifi.enginecontrol;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import ch.qos.logback.classic.LoggerContext;
import io.puraifi.enginecontrol.EngineControlClient.Response;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Decision records, batch checks, events and metrics end to end: the whole application on
 * a random port, over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityIntegrationTests {

	static final String ADMIN_KEY = "operator-key-for-observability-0123456789abcdef";

	private static final AtomicInteger names = new AtomicInteger();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	EngineControlClient admin;

	@BeforeEach
	void clients() {
		this.admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
	}

	@Test
	void batchAnswersInRequestOrderWithCorrelationIdsAndOneDecisionLinePerItem(CapturedOutput output) {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		Response batch = engine.withHeader("X-Request-ID", "batch-trace-1").post("/actions/check/batch", """
				{"checks":[
				 {"correlation_id":"c1","platform":"gmail","action_type":"send_email"},
				 {"correlation_id":"c2","platform":"gmail","action_type":"read_email"},
				 {"correlation_id":"c3","platform":"Gmail"},
				 {"correlation_id":"c4","engine_id":"someone-else","platform":"gmail","action_type":"send_email"},
				 {"correlation_id":"c5","platform":"myspace","action_type":"post"}
				]}""");
		assertThat(batch.status()).as(batch.body()).isEqualTo(200);
		JsonNode results = batch.json().get("results");
		assertThat(results).hasSize(5);
		assertThat(results.valueStream().map((r) -> r.get("correlation_id").asString())).containsExactly("c1", "c2",
				"c3", "c4", "c5");
		assertThat(results.get(0).get("allowed").asBoolean()).isTrue();
		assertThat(results.get(0).get("required_scopes").get(0).asString()).isEqualTo("mail.send");
		assertThat(results.get(0).get("revision").asLong()).isNotNegative();
		assertThat(results.get(1).get("allowed").asBoolean()).isFalse();
		assertThat(results.get(1).get("reason").asString()).isEqualTo("ACTION_NOT_GRANTED");
		assertThat(results.get(2).has("allowed")).isFalse();
		assertThat(results.get(2).get("error").get("status").asInt()).isEqualTo(400);
		assertThat(results.get(2).get("error").get("errors").valueStream().map((e) -> e.get("field").asString()))
			.containsExactly("action_type", "platform");
		assertThat(results.get(3).get("error").get("type").asString()).endsWith("/forbidden");
		assertThat(results.get(4).get("reason").asString()).isEqualTo("UNKNOWN_PLATFORM");
		assertThat(batch.json().get("revision").asLong()).isNotNegative();

		// Log lines are written by an async appender: wait for them.
		List<JsonNode> lines = await().atMost(Duration.ofSeconds(5))
			.until(() -> decisionLines(output, "batch-trace-1"), (found) -> found.size() >= 5);
		assertThat(lines).extracting((line) -> line.get("correlation_id").asString())
			.containsExactlyInAnyOrder("c1", "c2", "c3", "c4", "c5");
		assertThat(lines).extracting((line) -> line.get("status").asString())
			.containsExactlyInAnyOrder("allowed", "denied", "error", "error", "denied");
	}

	@Test
	void batchWithMoreThanOneHundredChecksIsRefusedWhole() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		String checks = IntStream.range(0, 101)
			.mapToObj((i) -> "{\"platform\":\"gmail\",\"action_type\":\"send_email\"}")
			.collect(Collectors.joining(","));
		Response tooMany = engine.post("/actions/check/batch", "{\"checks\":[" + checks + "]}");
		assertThat(tooMany.status()).isEqualTo(400);
		assertThat(tooMany.contentType()).startsWith("application/problem+json");
		assertThat(tooMany.json().get("errors").get(0).get("field").asString()).isEqualTo("checks");
		assertThat(engine.post("/actions/check/batch", "{\"checks\":[]}").status()).isEqualTo(400);
		assertThat(engine.post("/actions/check/batch", "{\"checks\":[{\"platform\":").status()).isEqualTo(400);
	}

	@Test
	void deniedDecisionsAndTheOperatorsAreQueryableAllowedOnesAreNot() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		String engineId = engine.engineId();
		check(engine, "gmail", "send_email");
		engine.withHeader("X-Request-ID", "denied-trace-1")
			.post("/actions/check", "{\"platform\":\"gmail\",\"action_type\":\"read_email\"}");
		this.admin.post("/actions/check",
				"{\"engine_id\":\"" + engineId + "\",\"platform\":\"gmail\",\"action_type\":\"send_email\"}");

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode page = this.admin.get("/admin/decisions?engine_id=" + engineId).json();
			assertThat(page.get("decisions")).hasSize(2);
		});
		JsonNode decisions = this.admin.get("/admin/decisions?engine_id=" + engineId).json().get("decisions");
		JsonNode operator = decisions.get(0);
		assertThat(operator.get("engine_id").asString()).isEqualTo("admin");
		assertThat(operator.get("subject_engine_id").asString()).isEqualTo(engineId);
		assertThat(operator.get("status").asString()).isEqualTo("allowed");
		JsonNode denied = decisions.get(1);
		assertThat(denied.get("request_id").asString()).isEqualTo("denied-trace-1");
		assertThat(denied.get("reason").asString()).isEqualTo("ACTION_NOT_GRANTED");
		assertThat(denied.get("decided_at").asString()).isNotBlank();

		JsonNode filtered = this.admin
			.get("/admin/decisions?engine_id=" + engineId + "&status=denied&reason=ACTION_NOT_GRANTED&platform=gmail")
			.json();
		assertThat(filtered.get("decisions")).hasSize(1);
		assertThat(this.admin.get("/admin/decisions?engine_id=" + engineId + "&since=2999-01-01T00:00:00Z")
			.json()
			.get("decisions")).isEmpty();
		assertThat(engine.get("/admin/decisions").status()).isEqualTo(403);
	}

	@Test
	void eventBatchIsStoredBeforeTheAcceptedAndListsIdsInOrder() {
		EngineControlClient engine = register("{}");
		Response accepted = engine.post("/log/engine_events", """
				{"events":[
				 {"level":"info","event_type":"run.started","message":"one"},
				 {"level":"warn","event_type":"run.retry","message":"two","attributes":{"attempt":2}},
				 {"level":"error","event_type":"run.failed","message":"three"}
				]}""");
		assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
		List<String> ids = accepted.json().get("event_ids").valueStream().map(JsonNode::asString).toList();
		assertThat(ids).hasSize(3).doesNotHaveDuplicates();
		for (int i = 0; i < 3; i++) {
			String message = this.jdbc.sql("select message from engine_event where event_id = :id")
				.param("id", ids.get(i))
				.query(String.class)
				.single();
			assertThat(message).isEqualTo(List.of("one", "two", "three").get(i));
		}
	}

	@Test
	void eventBatchWithOneEventOverTheBoundsStoresNothing() {
		EngineControlClient engine = register("{}");
		Response refused = engine.post("/log/engine_events", """
				{"events":[
				 {"level":"info","event_type":"ok"},
				 {"level":"info","event_type":"deep","attributes":{"a":{"b":{"c":{"d":{"e":1}}}}}}
				]}""");
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.json().get("errors").get(0).get("field").asString())
			.isEqualTo("events[1].attributes.a.b.c.d");
		assertThat(this.jdbc.sql("select count(*) from engine_event where engine_id = :id")
			.param("id", engine.engineId())
			.query(Long.class)
			.single()).isZero();
		Response single = engine.post("/log/engine_event",
				"{\"level\":\"info\",\"event_type\":\"long\",\"message\":\"" + "m".repeat(4097) + "\"}");
		assertThat(single.status()).isEqualTo(400);
		assertThat(single.json().get("errors").get(0).get("field").asString()).isEqualTo("message");
	}

	@Test
	void eventsQueryFiltersNewestFirstAndPagesWithTheCursor() {
		EngineControlClient engine = register("{}");
		String engineId = engine.engineId();
		for (int i = 0; i < 5; i++) {
			Response stored = engine.post("/log/engine_event", "{\"level\":\"" + ((i % 2 == 0) ? "info" : "error")
					+ "\",\"event_type\":\"step\",\"message\":\"m" + i + "\",\"attributes\":{\"i\":" + i + "}}");
			assertThat(stored.status()).isEqualTo(202);
		}
		engine.post("/log/engine_event", "{\"level\":\"info\",\"event_type\":\"other\"}");

		JsonNode first = this.admin.get("/admin/events?engine_id=" + engineId + "&event_type=step&limit=2").json();
		assertThat(messages(first)).containsExactly("m4", "m3");
		assertThat(first.get("events").get(0).get("attributes").get("i").asInt()).isEqualTo(4);
		String cursor = first.get("next_cursor").asString();
		JsonNode second = this.admin
			.get("/admin/events?engine_id=" + engineId + "&event_type=step&limit=2&cursor=" + cursor)
			.json();
		assertThat(messages(second)).containsExactly("m2", "m1");
		JsonNode third = this.admin
			.get("/admin/events?engine_id=" + engineId + "&event_type=step&limit=2&cursor="
					+ second.get("next_cursor").asString())
			.json();
		assertThat(messages(third)).containsExactly("m0");
		assertThat(third.has("next_cursor")).isFalse();

		assertThat(messages(this.admin.get("/admin/events?engine_id=" + engineId + "&level=error").json()))
			.containsExactly("m3", "m1");
		assertThat(this.admin.get("/admin/events?engine_id=" + engineId + "&until=2000-01-01T00:00:00Z")
			.json()
			.get("events")).isEmpty();
		assertThat(this.admin.get("/admin/events?cursor=not-a-cursor").status()).isEqualTo(400);
		assertThat(engine.get("/admin/events").status()).isEqualTo(403);
	}

	@Test
	void prometheusShowsDecisionsLatencyAuthFailuresAndEventsMoving() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		check(engine, "gmail", "send_email");
		String before = scrape();
		for (int i = 0; i < 3; i++) {
			check(engine, "gmail", "send_email");
		}
		check(engine, "gmail", "read_email");
		check(engine, "fax", "send");
		engine.as(engine.engineId(), "wrong-key").get("/config/global");
		engine.post("/log/engine_event", "{\"level\":\"info\",\"event_type\":\"metrics\"}");
		String after = scrape();

		String allowed = "engine_control_decisions_total{platform=\"gmail\",reason=\"ALLOWED\",result=\"allowed\"}";
		assertThat(value(after, allowed) - value(before, allowed)).isEqualTo(3);
		String denied = "engine_control_decisions_total{platform=\"gmail\",reason=\"ACTION_NOT_GRANTED\",result=\"denied\"}";
		assertThat(value(after, denied) - value(before, denied)).isGreaterThanOrEqualTo(1);
		String unknown = "engine_control_decisions_total{platform=\"unknown\",reason=\"UNKNOWN_PLATFORM\",result=\"denied\"}";
		assertThat(value(after, unknown)).isGreaterThanOrEqualTo(1);
		assertThat(after).doesNotContain("platform=\"fax\"");
		String count = "engine_control_check_duration_seconds_count";
		assertThat(value(after, count) - value(before, count)).isEqualTo(5);
		assertThat(after).contains("engine_control_check_duration_seconds_bucket{le=\"+Inf\"}");
		assertThat(after).contains("engine_control_check_latency_seconds{quantile=\"0.5\"}",
				"engine_control_check_latency_seconds{quantile=\"0.95\"}",
				"engine_control_check_latency_seconds{quantile=\"0.99\"}");
		String auth = "engine_control_authentication_failures_total{cause=\"invalid_credentials\"}";
		assertThat(value(after, auth) - value(before, auth)).isEqualTo(1);
		String events = "engine_control_events_accepted_total";
		assertThat(value(after, events) - value(before, events)).isEqualTo(1);
		assertThat(after)
			.contains("engine_control_decision_records_dropped_total{cause=\"queue_full\",sink=\"store\"} 0.0");
		assertThat(after).contains("engine_control_store_errors_total");
		assertThat(after).contains("cache_gets_total{cache=\"platforms\"");
	}

	@Test
	void checksAreTimedByTheDecisionTimersNotTheHttpServerObservation() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		String before = scrape();
		check(engine, "gmail", "send_email");
		check(engine, "gmail", "read_email");
		Response batch = engine.post("/actions/check/batch",
				"{\"checks\":[{\"platform\":\"gmail\",\"action_type\":\"send_email\"}]}");
		assertThat(batch.status()).isEqualTo(200);
		assertThat(engine.get("/config/global").status()).isEqualTo(200);
		String after = scrape();

		String count = "engine_control_check_duration_seconds_count";
		assertThat(value(after, count) - value(before, count)).isEqualTo(3);
		assertThat(after).contains("engine_control_check_latency_seconds_count");
		assertThat(after).as("other endpoints are still observed")
			.containsPattern("(?m)^http_server_requests_seconds_count\\{[^}]*uri=\"/config/global\"");
		assertThat(after).as("the check endpoints are not")
			.doesNotContainPattern("(?m)^http_server_requests_seconds_count\\{[^}]*uri=\"/actions/check")
			.doesNotContainPattern("(?m)^http_server_requests_active_seconds_count\\{[^}]*uri=\"/actions/check");
	}

	@Test
	void logLinesAreCountedByLevelWithoutATurboFilter() {
		String series = "logback_events_total{level=\"warn\"}";
		double before = value(scrape(), series);
		EngineControlClient stranger = new EngineControlClient(this.port, "nobody-" + names.incrementAndGet(),
				"wrong-key");
		assertThat(stranger.get("/config/global").status()).isEqualTo(401); // logs one
																			// warning
		assertThat(value(scrape(), series) - before).isEqualTo(1);
		LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
		assertThat(logging.getTurboFilterList()).as("nothing asked on every isDebugEnabled()").isEmpty();
	}

	@Test
	void promtoolAcceptsTheScrape() throws IOException, InterruptedException {
		Assumptions.assumeTrue(onPath("promtool"), "promtool is not on the PATH (Debian package prometheus)");
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		check(engine, "gmail", "send_email");
		check(engine, "gmail", "read_email");
		engine.post("/log/engine_event", "{\"level\":\"info\",\"event_type\":\"promtool\"}");
		String scrape = scrape();
		Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
		promtool.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
		promtool.getOutputStream().close();
		String report = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(promtool.exitValue()).as(report).isZero();
	}

	@Test
	void readinessReportsTheDatabaseAndWarmCaches() {
		Response readiness = new EngineControlClient(this.port, null, null).get("/actuator/health/readiness");
		assertThat(readiness.status()).isEqualTo(200);
		JsonNode components = readiness.json().get("components");
		assertThat(components.get("db").get("status").asString()).isEqualTo("UP");
		assertThat(components.get("caches").get("status").asString()).isEqualTo("UP");
		assertThat(components.get("caches").has("details")).as("details are not shown to anonymous callers").isFalse();
	}

	private String scrape() {
		Response metrics = this.admin.get("/actuator/prometheus");
		assertThat(metrics.status()).isEqualTo(200);
		return metrics.body();
	}

	private static double value(String scrape, String series) {
		Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)").matcher(scrape);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

	private static boolean onPath(String command) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String dir : path.split(File.pathSeparator)) {
			if (new File(dir, command).canExecute()) {
				return true;
			}
		}
		return false;
	}

	private static List<String> messages(JsonNode page) {
		List<String> messages = new ArrayList<>();
		page.get("events").forEach((event) -> messages.add(event.get("message").asString()));
		return messages;
	}

	private static List<JsonNode> decisionLines(CapturedOutput output, String requestId) {
		List<JsonNode> lines = new ArrayList<>();
		for (String line : output.getOut().split("\n")) {
			if (!line.startsWith("{")) {
				continue;
			}
			JsonNode node = JSON.readTree(line);
			if (node.path("request_id").asString("").equals(requestId)
					&& node.path("message").asString("").equals("decision")) {
				lines.add(node);
			}
		}
		return lines;
	}

	private EngineControlClient register(String capabilities) {
		String engineId = "obs-" + names.incrementAndGet();
		Response registered = this.admin.post("/engines/register",
				"{\"engine_id\":\"" + engineId + "\",\"capabilities\":" + capabilities + "}");
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		return this.admin.as(engineId, registered.json().get("engine_key").asString());
	}

	private static Response check(EngineControlClient engine, String platform, String actionType) {
		return engine.post("/actions/check",
				"{\"platform\":\"" + platform + "\",\"action_type\":\"" + actionType + "\"}");
	}

}
