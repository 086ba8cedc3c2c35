package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scheduled maintenance windows and the four kill switch levels, end to end over real
 * HTTP: what an operator sets through {@code /admin/**} is what the next check answers,
 * and a window starts and ends on its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlatformControlIntegrationTests {

	private static final String ADMIN_KEY = "control-plane-tests-admin-key-0123456789abcdef";

	private static final AtomicInteger names = new AtomicInteger();

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
	}

	@LocalServerPort
	int port;

	EngineControlClient admin;

	EngineControlClient engine;

	@BeforeEach
	void registerEngine() {
		this.admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
		String engineId = "mailer-" + names.incrementAndGet();
		Response registered = this.admin.post("/engines/register", "{\"engine_id\":\"" + engineId
				+ "\",\"capabilities\":{\"gmail\":[\"send_email\"],\"slack\":[\"post_message\"]}}");
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		this.engine = this.admin.as(engineId, registered.json().get("engine_key").asString());
	}

	@AfterEach
	void cancelWindowsAndResetFlags() {
		for (String platform : List.of("gmail", "slack")) {
			this.admin.put("/admin/platforms/" + platform + "/status", "{\"status\":\"available\"}");
			for (JsonNode window : this.admin.get("/admin/platforms/" + platform + "/maintenance-windows")
				.json()
				.get("maintenance_windows")) {
				delete(this.admin,
						"/admin/platforms/" + platform + "/maintenance-windows/" + window.get("id").asString());
			}
		}
		for (JsonNode flag : this.admin.get("/admin/flags").json().get("flags")) {
			delete(this.admin, "/admin/flags/" + flag.get("name").asString());
		}
	}

	@Test
	void windowStartingNowDeniesWithRetryAfterThenEndsOnItsOwn() {
		Instant startsAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		Instant endsAt = startsAt.plusSeconds(2);
		Response created = createWindow("gmail", startsAt, endsAt, "Quota migration");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		String id = created.json().get("id").asString();
		assertThat(created.json().get("state").asString()).isEqualTo("active");

		Response denied = check("gmail", "send_email");
		assertThat(denied.json().get("allowed").asBoolean()).isFalse();
		assertThat(denied.json().get("reason").asString()).isEqualTo("PLATFORM_MAINTENANCE");
		assertThat(denied.json().get("platform_status").asString()).isEqualTo("maintenance");
		assertThat(denied.json().get("message").asString()).contains("Quota migration");
		assertThat(Instant.parse(denied.json().get("retry_after").asString())).isEqualTo(endsAt);
		assertThat(reason("slack", "post_message")).isEqualTo("ALLOWED");

		JsonNode gmail = platform("gmail");
		assertThat(gmail.get("status").asString()).isEqualTo("maintenance");
		assertThat(gmail.get("configured_status").asString()).isEqualTo("available");
		assertThat(gmail.get("message").asString()).isEqualTo("Quota migration");
		assertThat(gmail.get("maintenance_window").get("state").asString()).isEqualTo("active");
		assertThat(Instant.parse(gmail.get("maintenance_window").get("ends_at").asString())).isEqualTo(endsAt);

		// No further operator call: the same replica allows again once the window is
		// over.
		Instant allowedAt = waitUntilAllowed("gmail", "send_email", Duration.ofSeconds(5));
		assertThat(allowedAt).isAfterOrEqualTo(endsAt);
		assertThat(Duration.between(endsAt, allowedAt)).isLessThan(Duration.ofSeconds(1));
		assertThat(check("gmail", "send_email").json().has("retry_after")).isFalse();
		assertThat(platform("gmail").get("status").asString()).isEqualTo("available");
		assertThat(platform("gmail").has("maintenance_window")).isFalse();
		assertThat(this.admin.get("/admin/platforms/gmail/maintenance-windows").json().get("maintenance_windows"))
			.isEmpty();
		List<String> pastStates = new ArrayList<>();
		this.admin.get("/admin/platforms/gmail/maintenance-windows?include_past=true")
			.json()
			.get("maintenance_windows")
			.forEach((window) -> {
				if (window.get("id").asString().equals(id)) {
					pastStates.add(window.get("state").asString());
				}
			});
		assertThat(pastStates).containsExactly("ended");
	}

	@Test
	void cancelledWindowAllowsOnTheNextCheck() {
		Instant now = Instant.now();
		String id = createWindow("gmail", now, now.plusSeconds(3600), null).json().get("id").asString();
		assertThat(reason("gmail", "send_email")).isEqualTo("PLATFORM_MAINTENANCE");

		assertThat(delete(this.admin, "/admin/platforms/gmail/maintenance-windows/" + id).status()).isEqualTo(204);
		assertThat(reason("gmail", "send_email")).isEqualTo("ALLOWED");
		JsonNode past = this.admin.get("/admin/platforms/gmail/maintenance-windows?include_past=true")
			.json()
			.get("maintenance_windows");
		assertThat(past.get(0).get("state").asString()).isEqualTo("cancelled");
		assertThat(past.get(0).get("cancelled_at").asString()).isNotBlank();

		Response again = delete(this.admin, "/admin/platforms/gmail/maintenance-windows/" + id);
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.contentType()).startsWith("application/problem+json");
		assertThat(delete(this.admin, "/admin/platforms/slack/maintenance-windows/" + id).status()).isEqualTo(404);
		assertThat(delete(this.admin, "/admin/platforms/gmail/maintenance-windows/no-such-window").status())
			.isEqualTo(404);
	}

	@Test
	void upcomingWindowIsListedAsNextAndDoesNotDenyYet() {
		Instant startsAt = Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.SECONDS);
		createWindow("slack", startsAt, startsAt.plusSeconds(1800), "Upgrade");
		assertThat(reason("slack", "post_message")).isEqualTo("ALLOWED");
		JsonNode slack = platform("slack");
		assertThat(slack.get("status").asString()).isEqualTo("available");
		assertThat(slack.get("maintenance_window").get("state").asString()).isEqualTo("scheduled");
		assertThat(Instant.parse(slack.get("maintenance_window").get("starts_at").asString())).isEqualTo(startsAt);
		JsonNode listed = this.admin.get("/admin/platforms/slack/maintenance-windows")
			.json()
			.get("maintenance_windows");
		assertThat(listed).hasSize(1);
		assertThat(listed.get(0).get("message").asString()).isEqualTo("Upgrade");
	}

	@Test
	void disabledBeatsAWindowAndAWindowBeatsDegraded() {
		Instant now = Instant.now();
		createWindow("gmail", now, now.plusSeconds(3600), "window");
		this.admin.put("/admin/platforms/gmail/status", "{\"status\":\"degraded\"}");
		Response degraded = check("gmail", "send_email");
		assertThat(degraded.json().get("reason").asString()).isEqualTo("PLATFORM_MAINTENANCE");
		assertThat(degraded.json().has("retry_after")).isTrue();

		this.admin.put("/admin/platforms/gmail/status", "{\"status\":\"disabled\",\"message\":\"retired\"}");
		Response disabled = check("gmail", "send_email");
		assertThat(disabled.json().get("reason").asString()).isEqualTo("PLATFORM_DISABLED");
		assertThat(disabled.json().has("retry_after")).isFalse();
		assertThat(platform("gmail").get("status").asString()).isEqualTo("disabled");
	}

	@Test
	void windowRequestsAreValidated() {
		Instant now = Instant.now();
		assertThat(createWindow("gmail", now.plusSeconds(60), now.plusSeconds(30), null).status()).isEqualTo(400);
		assertThat(createWindow("gmail", now.minusSeconds(60), now.minusSeconds(30), null).status()).isEqualTo(400);
		assertThat(createWindow("gmail", now, now.plus(Duration.ofDays(31)), null).status()).isEqualTo(400);
		Response unknown = createWindow("myspace", now, now.plusSeconds(60), null);
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.contentType()).startsWith("application/problem+json");
		assertThat(this.admin.get("/admin/platforms/myspace/maintenance-windows").status()).isEqualTo(404);
		assertThat(createWindow("myspace", now, now.plus(Duration.ofDays(31)), null).status()).isEqualTo(404);
		assertThat(this.admin.post("/admin/platforms/gmail/maintenance-windows", "{\"starts_at\":\"" + now + "\"}")
			.status()).isEqualTo(400);
		assertThat(this.admin
			.post("/admin/platforms/gmail/maintenance-windows",
					"{\"starts_at\":\"" + now + "\",\"ends_at\":\"" + now.plusSeconds(60) + "\",\"message\":\""
							+ "x".repeat(501) + "\"}")
			.status()).isEqualTo(400);
		assertThat(this.engine
			.post("/admin/platforms/gmail/maintenance-windows",
					"{\"starts_at\":\"" + now + "\",\"ends_at\":\"" + now.plusSeconds(60) + "\"}")
			.status()).isEqualTo(403);
		assertThat(this.engine.get("/admin/platforms/gmail/maintenance-windows").status()).isEqualTo(403);
		assertThat(reason("gmail", "send_email")).isEqualTo("ALLOWED");
	}

	@Test
	void eachKillSwitchLevelDeniesNamingItselfAndDeletingItRestoresTheDefault() {
		String engineFlag = "engine." + this.engine.engineId();
		for (String flag : List.of("global", engineFlag, "platform.gmail", "action.gmail.send_email")) {
			assertThat(this.admin.put("/admin/flags/" + flag, "{\"enabled\":false}").status()).isEqualTo(200);
			Response denied = check("gmail", "send_email");
			assertThat(denied.json().get("reason").asString()).as(flag).isEqualTo("FLAG_DISABLED");
			assertThat(denied.json().get("flag").asString()).isEqualTo(flag);
			assertThat(this.admin.get("/config/global").json().get("kill_switches").get("off").get(0).asString())
				.isEqualTo(flag);
			assertThat(delete(this.admin, "/admin/flags/" + flag).status()).isEqualTo(204);
			assertThat(reason("gmail", "send_email")).as(flag).isEqualTo("ALLOWED");
		}
		assertThat(delete(this.admin, "/admin/flags/global").status()).isEqualTo(404);
	}

	@Test
	void killSwitchesApplyInOrderGlobalEnginePlatformAction() {
		List<String> order = List.of("global", "engine." + this.engine.engineId(), "platform.gmail",
				"action.gmail.send_email");
		order.forEach((flag) -> this.admin.put("/admin/flags/" + flag, "{\"enabled\":false}"));
		List<String> named = new ArrayList<>();
		for (String flag : order) {
			named.add(check("gmail", "send_email").json().get("flag").asString());
			this.admin.put("/admin/flags/" + flag, "{\"enabled\":true}");
		}
		assertThat(named).isEqualTo(order);
		assertThat(reason("gmail", "send_email")).isEqualTo("ALLOWED");
	}

	@Test
	void engineKillSwitchStopsOnlyThatEngine() {
		String other = "other-" + names.incrementAndGet();
		Response registered = this.admin.post("/engines/register",
				"{\"engine_id\":\"" + other + "\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		EngineControlClient otherEngine = this.admin.as(other, registered.json().get("engine_key").asString());
		this.admin.put("/admin/flags/engine." + this.engine.engineId(), "{\"enabled\":false}");
		assertThat(reason("gmail", "send_email")).isEqualTo("FLAG_DISABLED");
		assertThat(reason("slack", "post_message")).isEqualTo("FLAG_DISABLED");
		assertThat(otherEngine.post("/actions/check", "{\"platform\":\"gmail\",\"action_type\":\"send_email\"}")
			.json()
			.get("reason")
			.asString()).isEqualTo("ALLOWED");
	}

	@Test
	void flagsAreListedWithWhenTheyWereSetAndConfigExplainsTheLevels() {
		this.admin.put("/admin/flags/platform.slack", "{\"enabled\":false}");
		this.admin.put("/admin/flags/beta_ui", "{\"enabled\":true}");
		JsonNode flags = this.admin.get("/admin/flags").json().get("flags");
		assertThat(flags).hasSize(2);
		assertThat(flags.get(0).get("name").asString()).isEqualTo("beta_ui");
		assertThat(flags.get(1).get("name").asString()).isEqualTo("platform.slack");
		assertThat(flags.get(1).get("enabled").asBoolean()).isFalse();
		assertThat(Instant.parse(flags.get(1).get("updated_at").asString())).isBetween(Instant.now().minusSeconds(60),
				Instant.now());
		assertThat(this.engine.get("/admin/flags").status()).isEqualTo(403);
		assertThat(delete(this.engine, "/admin/flags/platform.slack").status()).isEqualTo(403);

		JsonNode killSwitches = this.engine.get("/config/global").json().get("kill_switches");
		List<String> levels = new ArrayList<>();
		killSwitches.get("levels").forEach((level) -> levels.add(level.get("flag").asString()));
		assertThat(levels).containsExactly("global", "engine.<engine_id>", "platform.<platform>",
				"action.<platform>.<action_type>");
		assertThat(killSwitches.get("off")).hasSize(1);
		assertThat(killSwitches.get("off").get(0).asString()).isEqualTo("platform.slack");
	}

	@Test
	void windowsAndFlagsAreInTheAuditTrail() {
		Instant now = Instant.now();
		String id = this.admin.withHeader("X-Request-ID", "window-trace")
			.post("/admin/platforms/slack/maintenance-windows",
					"{\"starts_at\":\"" + now + "\",\"ends_at\":\"" + now.plusSeconds(600) + "\",\"message\":\"m\"}")
			.json()
			.get("id")
			.asString();
		delete(this.admin, "/admin/platforms/slack/maintenance-windows/" + id);
		JsonNode platformEntries = this.admin.get("/admin/audit?target_type=platform&target_id=slack&limit=2")
			.json()
			.get("entries");
		assertThat(platformEntries.get(0).get("action").asString()).isEqualTo("platform.maintenance_window.cancel");
		assertThat(platformEntries.get(0).get("after").get("cancelled_at").asString()).isNotBlank();
		assertThat(platformEntries.get(1).get("action").asString()).isEqualTo("platform.maintenance_window.create");
		assertThat(platformEntries.get(1).get("request_id").asString()).isEqualTo("window-trace");
		assertThat(platformEntries.get(1).get("after").get("id").asString()).isEqualTo(id);

		this.admin.put("/admin/flags/global", "{\"enabled\":false}");
		delete(this.admin, "/admin/flags/global");
		JsonNode flagEntries = this.admin.get("/admin/audit?target_type=flag&target_id=global&limit=2")
			.json()
			.get("entries");
		assertThat(flagEntries.get(0).get("action").asString()).isEqualTo("flag.delete");
		assertThat(flagEntries.get(0).get("before").get("enabled").asBoolean()).isFalse();
		assertThat(flagEntries.get(0).has("after")).isFalse();
		assertThat(flagEntries.get(1).get("action").asString()).isEqualTo("flag.set");
	}

	private Response createWindow(String platform, Instant startsAt, Instant endsAt, String message) {
		String body = "{\"starts_at\":\"" + startsAt + "\",\"ends_at\":\"" + endsAt + "\""
				+ ((message != null) ? ",\"message\":\"" + message + "\"" : "") + "}";
		return this.admin.post("/admin/platforms/" + platform + "/maintenance-windows", body);
	}

	private JsonNode platform(String name) {
		for (JsonNode platform : this.engine.get("/platforms/list").json().get("platforms")) {
			if (platform.get("platform").asString().equals(name)) {
				return platform;
			}
		}
		throw new AssertionError("no platform " + name);
	}

	private Response check(String platform, String action) {
		return this.engine.post("/actions/check",
				"{\"platform\":\"" + platform + "\",\"action_type\":\"" + action + "\"}");
	}

	private String reason(String platform, String action) {
		return check(platform, action).json().get("reason").asString();
	}

	private Instant waitUntilAllowed(String platform, String action, Duration atMost) {
		Instant deadline = Instant.now().plus(atMost);
		while (Instant.now().isBefore(deadline)) {
			if (reason(platform, action).equals("ALLOWED")) {
				return Instant.now();
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
		throw new AssertionError(platform + "." + action + " not allowed within " + atMost);
	}

	private static Response delete(EngineControlClient client, String path) {
		return client.send("DELETE", path, null);
	}

}
