package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import io.puraifi.enginecontrol.engine.EngineKeys;
import io.puraifi.enginecontrol.engine.EngineRepository;
import io.puraifi.enginecontrol.platform.MaintenanceWindowRepository;
import io.puraifi.enginecontrol.platform.PlatformRepository;
import io.puraifi.enginecontrol.settings.FlagRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;

/**
 * The seed's flows end to end: the whole application on a random port, its default H2
 * file store in a temporary directory, driven over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class EngineControlIntegrationTests {

	static final String ADMIN_KEY = "operator-key-for-tests-0123456789abcdefghij";

	private static final AtomicInteger names = new AtomicInteger();

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
		// No background flush of key use during checkTouchesNoStoreOnceWarm.
		registry.add("engine-control.keys.last-used-flush-interval", () -> "1h");
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@MockitoSpyBean
	EngineRepository engineRepository;

	@MockitoSpyBean
	PlatformRepository platformRepository;

	@MockitoSpyBean
	FlagRepository flagRepository;

	@MockitoSpyBean
	MaintenanceWindowRepository maintenanceWindowRepository;

	EngineControlClient admin;

	EngineControlClient anonymous;

	@BeforeEach
	void clients() {
		this.admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
		this.anonymous = new EngineControlClient(this.port, null, null);
	}

	@AfterEach
	void restorePlatformsAndFlags() {
		for (String platform : List.of("gmail", "slack", "google_calendar")) {
			this.admin.put("/admin/platforms/" + platform + "/status", "{\"status\":\"available\"}");
		}
		this.jdbc.sql("select name from feature_flag")
			.query(String.class)
			.list()
			.forEach((flag) -> this.admin.put("/admin/flags/" + flag, "{\"enabled\":true}"));
	}

	@Test
	void registerThenCheckAllowedAsTheSeedShows() {
		Response registered = this.admin.post("/engines/register",
				"{\"engine_id\":\"action\",\"description\":\"Sends mail\","
						+ "\"capabilities\":{\"gmail\":[\"send_email\"],\"slack\":[\"post_message\"]}}");
		assertThat(registered.status()).isEqualTo(201);
		JsonNode body = registered.json();
		assertThat(body.get("engine_id").asString()).isEqualTo("action");
		assertThat(EngineKeys.isWellFormed(body.get("engine_key").asString())).isTrue();
		assertThat(body.get("capabilities").get("gmail").get(0).asString()).isEqualTo("send_email");
		assertThat(body.get("created_at").asString()).isNotBlank();

		EngineControlClient action = this.admin.as("action", body.get("engine_key").asString());
		Response check = action.post("/actions/check",
				"{\"engine_id\":\"action\",\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
		assertThat(check.status()).isEqualTo(200);
		assertThat(check.json().get("allowed").asBoolean()).isTrue();
		assertThat(check.json().get("reason").asString()).isEqualTo("ALLOWED");
		assertThat(check.json().get("required_scopes").get(0).asString()).isEqualTo("mail.send");
	}

	@Test
	void checkDeniesWithEveryReason() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"],\"slack\":[\"post_message\"],"
				+ "\"google_calendar\":[\"create_event\"]}");
		assertThat(reason(engine, "gmail", "read_email")).isEqualTo("ACTION_NOT_GRANTED");
		assertThat(reason(engine, "myspace", "post")).isEqualTo("UNKNOWN_PLATFORM");
		assertThat(reason(engine, "gmail", "delete_everything")).isEqualTo("UNKNOWN_ACTION");

		this.admin.put("/admin/platforms/gmail/status", "{\"status\":\"maintenance\",\"message\":\"Quota reset\"}");
		Response maintenance = check(engine, "gmail", "send_email");
		assertThat(maintenance.json().get("reason").asString()).isEqualTo("PLATFORM_MAINTENANCE");
		assertThat(maintenance.json().get("message").asString()).contains("Quota reset");

		this.admin.put("/admin/platforms/gmail/status", "{\"status\":\"disabled\"}");
		assertThat(reason(engine, "gmail", "send_email")).isEqualTo("PLATFORM_DISABLED");

		this.admin.put("/admin/flags/action.slack.post_message", "{\"enabled\":false}");
		Response actionFlag = check(engine, "slack", "post_message");
		assertThat(actionFlag.json().get("reason").asString()).isEqualTo("FLAG_DISABLED");
		assertThat(actionFlag.json().get("flag").asString()).isEqualTo("action.slack.post_message");

		this.admin.put("/admin/flags/platform.google_calendar", "{\"enabled\":false}");
		Response platformFlag = check(engine, "google_calendar", "create_event");
		assertThat(platformFlag.json().get("flag").asString()).isEqualTo("platform.google_calendar");

		String engineId = engineIdOf(engine);
		this.admin.post("/admin/engines/" + engineId + "/suspend", null);
		Response suspended = this.admin.post("/actions/check",
				"{\"engine_id\":\"" + engineId + "\",\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
		assertThat(suspended.json().get("reason").asString()).isEqualTo("ENGINE_SUSPENDED");
		Response unknown = this.admin.post("/actions/check",
				"{\"engine_id\":\"nobody-here\",\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
		assertThat(unknown.json().get("reason").asString()).isEqualTo("UNKNOWN_ENGINE");
		for (Response denied : List.of(maintenance, actionFlag, platformFlag, suspended, unknown)) {
			assertThat(denied.status()).isEqualTo(200);
			assertThat(denied.json().get("allowed").asBoolean()).isFalse();
			assertThat(denied.json().get("required_scopes")).isEmpty();
		}
	}

	@Test
	void changesTakeEffectOnTheNextCheck() {
		EngineControlClient engine = register("{\"slack\":[\"post_message\"]}");
		assertThat(reason(engine, "slack", "post_message")).isEqualTo("ALLOWED");
		this.admin.put("/admin/platforms/slack/status", "{\"status\":\"maintenance\"}");
		assertThat(reason(engine, "slack", "post_message")).isEqualTo("PLATFORM_MAINTENANCE");
		this.admin.put("/admin/platforms/slack/status", "{\"status\":\"degraded\",\"message\":\"slow\"}");
		Response degraded = check(engine, "slack", "post_message");
		assertThat(degraded.json().get("allowed").asBoolean()).isTrue();
		assertThat(degraded.json().get("platform_status").asString()).isEqualTo("degraded");

		String engineId = engineIdOf(engine);
		Response replaced = this.admin.put("/admin/engines/" + engineId + "/capabilities",
				"{\"capabilities\":{\"gmail\":[\"read_email\"]}}");
		assertThat(replaced.status()).isEqualTo(200);
		assertThat(reason(engine, "slack", "post_message")).isEqualTo("ACTION_NOT_GRANTED");
		assertThat(reason(engine, "gmail", "read_email")).isEqualTo("ALLOWED");
	}

	@Test
	void suspendedEngineIsRefusedUntilResumed() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		String engineId = engineIdOf(engine);
		Response suspend = this.admin.post("/admin/engines/" + engineId + "/suspend", null);
		assertThat(suspend.json().get("status").asString()).isEqualTo("suspended");

		Response refused = check(engine, "gmail", "send_email");
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.json().get("type").asString()).endsWith("/engine-suspended");

		this.admin.post("/admin/engines/" + engineId + "/resume", null);
		assertThat(reason(engine, "gmail", "send_email")).isEqualTo("ALLOWED");
	}

	@Test
	void operatorChangesAreInTheAuditTrailWithWhoWhatBeforeAfterAndRequest() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		String engineId = engineIdOf(engine);
		this.admin.withHeader("X-Request-ID", "audit-trace-1").post("/admin/engines/" + engineId + "/suspend", null);
		this.admin.put("/admin/platforms/slack/status", "{\"status\":\"degraded\"}");
		this.admin.withHeader("X-Request-ID", "audit-trace-2")
			.put("/admin/platforms/gmail/status", "{\"status\":\"maintenance\",\"message\":\"audit\"}");

		JsonNode entries = this.admin.get("/admin/audit?target_id=" + engineId).json().get("entries");
		assertThat(entries).hasSize(2);
		JsonNode suspend = entries.get(0);
		assertThat(suspend.get("action").asString()).isEqualTo("engine.suspend");
		assertThat(suspend.get("actor").asString()).isEqualTo("admin");
		assertThat(suspend.get("request_id").asString()).isEqualTo("audit-trace-1");
		assertThat(suspend.get("before").get("status").asString()).isEqualTo("active");
		assertThat(suspend.get("after").get("status").asString()).isEqualTo("suspended");
		assertThat(suspend.get("occurred_at").asString()).isNotBlank();
		assertThat(entries.get(1).get("action").asString()).isEqualTo("engine.register");
		assertThat(suspend.get("after").has("active")).as("only the engine's own fields").isFalse();
		JsonNode exactPage = this.admin.get("/admin/audit?limit=2&target_id=" + engineId).json();
		assertThat(exactPage.get("entries")).hasSize(2);
		assertThat(exactPage.has("next_cursor")).as("no cursor on the last page").isFalse();

		JsonNode platform = this.admin.get("/admin/audit?target_type=platform&limit=1").json();
		assertThat(platform.get("entries").get(0).get("after").get("message").asString()).isEqualTo("audit");
		assertThat(platform.get("next_cursor").asLong()).isPositive();
		assertThat(engine.get("/admin/audit").status()).isEqualTo(403);
	}

	@Test
	void validateAnswersLikeTokenIntrospection() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		String engineId = engineIdOf(engine);
		String key = keyOf(engine);
		EngineControlClient other = register("{\"slack\":[\"post_message\"]}");

		Response valid = other.post("/engines/validate",
				"{\"engine_id\":\"" + engineId + "\",\"engine_key\":\"" + key + "\"}");
		assertThat(valid.status()).isEqualTo(200);
		assertThat(valid.json().get("valid").asBoolean()).isTrue();
		assertThat(valid.json().get("status").asString()).isEqualTo("active");
		assertThat(valid.json().get("capabilities").get("gmail").get(0).asString()).isEqualTo("send_email");

		Response wrongKey = other.post("/engines/validate",
				"{\"engine_id\":\"" + engineId + "\",\"engine_key\":\"" + EngineKeys.generate() + "\"}");
		assertThat(wrongKey.body()).isEqualTo("{\"valid\":false}");

		this.admin.post("/admin/engines/" + engineId + "/suspend", null);
		Response suspended = other.post("/engines/validate",
				"{\"engine_id\":\"" + engineId + "\",\"engine_key\":\"" + key + "\"}");
		assertThat(suspended.body()).isEqualTo("{\"valid\":false}");
	}

	@Test
	void unknownEngineAndWrongKeyGetTheSameAnswer() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		Response wrongKey = engine.as(engineIdOf(engine), EngineKeys.generate()).get("/config/global");
		Response unknownEngine = engine.as("no-such-engine", keyOf(engine)).get("/config/global");
		Response missing = this.anonymous.get("/config/global");
		for (Response response : List.of(wrongKey, unknownEngine, missing)) {
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.header("WWW-Authenticate")).startsWith("EngineKey");
			assertThat(response.json().get("request_id").asString()).isEqualTo(response.header("X-Request-ID"));
		}
		assertThat(withoutRequestId(wrongKey)).isEqualTo(withoutRequestId(unknownEngine));
	}

	@Test
	void operatorEndpointsRefuseEngines() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		assertThat(engine.put("/admin/flags/x", "{\"enabled\":false}").status()).isEqualTo(403);
		assertThat(engine.put("/admin/platforms/gmail/status", "{\"status\":\"disabled\"}").status()).isEqualTo(403);
		assertThat(engine.post("/engines/register", "{\"engine_id\":\"sneaky\",\"capabilities\":{}}").status())
			.isEqualTo(403);
		assertThat(engine.get("/actuator/prometheus").status()).isEqualTo(403);
		Response otherEngine = engine.post("/actions/check",
				"{\"engine_id\":\"admin\",\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
		assertThat(otherEngine.status()).isEqualTo(403);
		assertThat(otherEngine.contentType()).startsWith("application/problem+json");
		assertThat(
				this.jdbc.sql("select count(*) from engine where engine_id = 'sneaky'").query(Integer.class).single())
			.isZero();
		assertThat(this.jdbc.sql("select count(*) from feature_flag where name = 'x'").query(Integer.class).single())
			.isZero();
	}

	@Test
	void registrationRejectsUnknownCapabilitiesAndTakenIds() {
		Response unknown = this.admin.post("/engines/register",
				"{\"engine_id\":\"dreamer\",\"capabilities\":{\"myspace\":[\"post\"],\"gmail\":[\"delete_all\"]}}");
		assertThat(unknown.status()).isEqualTo(422);
		assertThat(unknown.json().get("unknown").toString()).contains("myspace", "gmail.delete_all");
		assertThat(
				this.jdbc.sql("select count(*) from engine where engine_id = 'dreamer'").query(Integer.class).single())
			.isZero();

		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		Response taken = this.admin.post("/engines/register",
				"{\"engine_id\":\"" + engineIdOf(engine) + "\",\"capabilities\":{\"slack\":[\"post_message\"]}}");
		assertThat(taken.status()).isEqualTo(409);
		assertThat(reason(engine, "gmail", "send_email")).isEqualTo("ALLOWED");
		assertThat(reason(engine, "slack", "post_message")).isEqualTo("ACTION_NOT_GRANTED");
	}

	@Test
	void platformsListShowsStatusesVersionsAndScopes() {
		this.admin.put("/admin/platforms/slack/status", "{\"status\":\"degraded\",\"message\":\"Rate limited\"}");
		JsonNode platforms = this.admin.get("/platforms/list").json().get("platforms");
		List<String> names = new ArrayList<>();
		platforms.forEach((platform) -> names.add(platform.get("platform").asString()));
		assertThat(names).contains("gmail", "google_calendar", "slack");
		JsonNode slack = platforms.valueStream()
			.filter((platform) -> platform.get("platform").asString().equals("slack"))
			.findFirst()
			.orElseThrow();
		assertThat(slack.get("status").asString()).isEqualTo("degraded");
		assertThat(slack.get("message").asString()).isEqualTo("Rate limited");
		assertThat(slack.get("version").asString()).isNotBlank();
		assertThat(slack.get("actions").toString()).contains("\"action_type\":\"post_message\"",
				"\"required_scopes\":[\"chat.write\"]");
	}

	@Test
	void configShowsVersionsAndFlags() {
		this.admin.put("/admin/flags/new_inbox", "{\"enabled\":true}");
		this.admin.put("/admin/flags/platform.slack", "{\"enabled\":false}");
		JsonNode config = register("{\"gmail\":[\"send_email\"]}").get("/config/global").json();
		assertThat(config.get("api_version").asString()).isEqualTo("1");
		assertThat(config.get("supported_versions").get(0).asString()).isEqualTo("1");
		assertThat(config.get("feature_flags").get("new_inbox").asBoolean()).isTrue();
		assertThat(config.get("feature_flags").get("platform.slack").asBoolean()).isFalse();
		assertThat(config.get("server_time").asString()).isNotBlank();
	}

	@Test
	void configShowsAnEngineOnlyItsOwnEngineKillSwitchAndTheOperatorAll() {
		EngineControlClient first = register("{\"gmail\":[\"send_email\"]}");
		EngineControlClient second = register("{\"gmail\":[\"send_email\"]}");
		String firstFlag = "engine." + engineIdOf(first);
		String secondFlag = "engine." + engineIdOf(second);
		this.admin.put("/admin/flags/" + firstFlag, "{\"enabled\":false}");
		this.admin.put("/admin/flags/" + secondFlag, "{\"enabled\":false}");
		this.admin.put("/admin/flags/platform.slack", "{\"enabled\":false}");

		JsonNode seen = first.get("/config/global").json();
		assertThat(seen.get("feature_flags").has(firstFlag)).isTrue();
		assertThat(seen.get("feature_flags").has("platform.slack")).isTrue();
		assertThat(seen.get("feature_flags").has(secondFlag)).isFalse();
		assertThat(seen.get("kill_switches").get("off").toString()).contains(firstFlag, "platform.slack")
			.doesNotContain(secondFlag);
		assertThat(seen.toString()).doesNotContain(engineIdOf(second));

		JsonNode operator = this.admin.get("/config/global").json();
		assertThat(operator.get("feature_flags").has(firstFlag)).isTrue();
		assertThat(operator.get("feature_flags").has(secondFlag)).isTrue();
		assertThat(operator.get("kill_switches").get("off").toString()).contains(firstFlag, secondFlag);
	}

	@Test
	void eventIsStoredBeforeItIsAcknowledged(CapturedOutput output) {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		Response accepted = engine.post("/log/engine_event",
				"{\"level\":\"warn\",\"event_type\":\"email.bounced\",\"message\":\"Mailbox full\","
						+ "\"attributes\":{\"attempt\":2},\"occurred_at\":\"2026-11-25T10:00:00Z\"}");
		assertThat(accepted.status()).isEqualTo(202);
		String eventId = accepted.json().get("event_id").asString();
		var stored = this.jdbc
			.sql("select engine_id, level, event_type, attributes from engine_event where event_id = ?")
			.param(eventId)
			.query()
			.singleRow();
		assertThat(stored.get("engine_id")).isEqualTo(engineIdOf(engine));
		assertThat(stored.get("level")).isEqualTo("WARN");
		assertThat(stored.get("event_type")).isEqualTo("email.bounced");
		assertThat(stored.get("attributes").toString()).isEqualTo("{\"attempt\":2}");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output.getOut()).contains("\"event_id\":\"" + eventId + "\""));

		Response spoofed = engine.post("/log/engine_event",
				"{\"level\":\"info\",\"event_type\":\"x\",\"engine_id\":\"admin\"}");
		assertThat(spoofed.status()).isEqualTo(400);
	}

	@Test
	void requestIdIsEchoedWhenSaneAndGeneratedOtherwise() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		Response sane = engine.withHeader("X-Request-ID", "trace-42.a_b").get("/config/global");
		assertThat(sane.header("X-Request-ID")).isEqualTo("trace-42.a_b");
		Response odd = engine.withHeader("X-Request-ID", "x".repeat(129)).get("/config/global");
		assertThat(odd.header("X-Request-ID")).hasSize(36).isNotEqualTo("x".repeat(129));
		Response error = engine.withHeader("X-Request-ID", "trace-43").get("/no/such/path");
		assertThat(error.status()).isEqualTo(404);
		assertThat(error.json().get("request_id").asString()).isEqualTo("trace-43");
	}

	@Test
	void everyLogLineIsJsonAndDecisionLinesCarryTheRecordButNoSecret(CapturedOutput output) {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		String key = keyOf(engine);
		engine.withHeader("X-Request-ID", "decision-trace-1")
			.post("/actions/check", "{\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
		engine.as(engineIdOf(engine), key + "x").get("/config/global");
		this.admin.post("/engines/validate",
				"{\"engine_id\":\"" + engineIdOf(engine) + "\",\"engine_key\":\"" + key + "\"}");

		// Log lines are written by an async appender: wait for the decision's.
		JsonNode decision = await().atMost(Duration.ofSeconds(5))
			.until(() -> decisionLine(output, "decision-trace-1"), Objects::nonNull);
		assertThat(decision).isNotNull();
		assertThat(decision.get("engine_id").asString()).isEqualTo(engineIdOf(engine));
		assertThat(decision.get("platform").asString()).isEqualTo("gmail");
		assertThat(decision.get("action_type").asString()).isEqualTo("send_email");
		assertThat(decision.get("status").asString()).isEqualTo("allowed");
		assertThat(decision.get("reason").asString()).isEqualTo("ALLOWED");
		assertThat(decision.get("duration_us").isNumber()).isTrue();
		assertThat(output.getAll()).doesNotContain(key, EngineKeys.hash(key), ADMIN_KEY, EngineKeys.hash(ADMIN_KEY));
	}

	@Test
	void checkTouchesNoStoreOnceWarm() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		// A check reads the engine, the platform with its maintenance windows, and four
		// kill switches (global, engine, platform, action): all cached after the first.
		// A platform the catalog lacks is remembered too.
		check(engine, "gmail", "send_email");
		check(engine, "myspace", "post");
		clearInvocations(this.engineRepository, this.platformRepository, this.flagRepository,
				this.maintenanceWindowRepository);
		for (int i = 0; i < 20; i++) {
			assertThat(reason(engine, "gmail", "send_email")).isEqualTo("ALLOWED");
			assertThat(reason(engine, "myspace", "post")).isEqualTo("UNKNOWN_PLATFORM");
		}
		verifyNoInteractions(this.engineRepository, this.platformRepository, this.flagRepository,
				this.maintenanceWindowRepository);
	}

	@Test
	void firstCheckOfColdEngineIsOneStoreRoundTripForTheEngine() {
		// A registration invalidates the engine's entry: its first check finds it cold.
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		clearInvocations(this.engineRepository);
		assertThat(reason(engine, "gmail", "send_email")).isEqualTo("ALLOWED");
		verify(this.engineRepository).findWithKeys(engine.engineId());
		verifyNoMoreInteractions(this.engineRepository);
	}

	@Test
	void healthIsOpenAndTheActuatorIndexInfoAndPrometheusAreForOperators() {
		assertThat(this.anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
		Response readiness = this.anonymous.get("/actuator/health/readiness");
		assertThat(readiness.status()).isEqualTo(200);
		assertThat(readiness.json().get("status").asString()).isEqualTo("UP");
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		for (String path : List.of("/actuator", "/actuator/info", "/actuator/prometheus")) {
			assertThat(this.anonymous.get(path).status()).as(path).isEqualTo(401);
			assertThat(engine.get(path).status()).as(path).isEqualTo(403);
		}
		assertThat(this.admin.get("/actuator").json().get("_links").has("info")).isTrue();
		assertThat(this.admin.get("/actuator/info").json().get("build").get("artifact").asString())
			.isEqualTo("engine-control");
		Response metrics = this.admin.get("/actuator/prometheus");
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("cache_gets_total{cache=\"engines\"");
		assertThat(this.admin.get("/actuator/env").status()).isEqualTo(404);
	}

	private static JsonNode decisionLine(CapturedOutput output, String requestId) {
		JsonMapper json = JsonMapper.builder().build();
		JsonNode decision = null;
		for (String line : output.getOut().split("\n")) {
			if (line.isBlank()) {
				continue;
			}
			JsonNode node = json.readTree(line);
			assertThat(node.has("@timestamp")).as(line).isTrue();
			if (node.path("request_id").asString("").equals(requestId)
					&& node.path("message").asString("").equals("decision")) {
				decision = node;
			}
		}
		return decision;
	}

	private EngineControlClient register(String capabilities) {
		String engineId = "engine-" + names.incrementAndGet();
		Response registered = this.admin.post("/engines/register",
				"{\"engine_id\":\"" + engineId + "\",\"capabilities\":" + capabilities + "}");
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		return this.admin.as(engineId, registered.json().get("engine_key").asString());
	}

	private static String engineIdOf(EngineControlClient engine) {
		return engine.engineId();
	}

	private static String keyOf(EngineControlClient engine) {
		return engine.key();
	}

	private static Response check(EngineControlClient engine, String platform, String actionType) {
		return engine.post("/actions/check",
				"{\"platform\":\"" + platform + "\",\"action_type\":\"" + actionType + "\"}");
	}

	private static String reason(EngineControlClient engine, String platform, String actionType) {
		Response response = check(engine, platform, actionType);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json().get("reason").asString();
	}

	private static String withoutRequestId(Response response) {
		return response.body().replace(response.header("X-Request-ID"), "");
	}

}
