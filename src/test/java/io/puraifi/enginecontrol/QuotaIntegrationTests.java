package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Action quotas and shadow mode end to end, over real HTTP on the default H2 store: the
 * operator's quota API (audited, bad input refused), checks denied with
 * {@code QUOTA_EXCEEDED} and {@code retry_after} in seconds, {@code quota_remaining}, all
 * or none over several rules, batch items consuming in order, shadow quota rules and
 * shadow kill switches that report instead of denying (records, filter, metric), and an
 * engine reading its own quotas.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QuotaIntegrationTests {

	static final String ADMIN_KEY = "operator-key-for-quota-tests-0123456789abcdefgh";

	private static final String PROBLEMS = "https://puraifi.io/problems/engine-control/";

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

	@Test
	void ruleIsSetShownListedAndDeletedAndEveryChangeIsAudited() {
		EngineControlClient admin = admin();
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		String rule = engine.engineId() + "-email";
		Response set = admin.put("/admin/quotas/" + rule, "{\"engine_id\":\"" + engine.engineId()
				+ "\",\"platform\":\"gmail\",\"action_type\":\"send_email\","
				+ "\"limits\":[{\"max\":100,\"per\":\"PT1H\"},{\"max\":1000,\"per\":\"P1D\"}],\"mode\":\"enforce\"}");
		assertThat(set.status()).as(set.body()).isEqualTo(200);
		JsonNode body = set.json();
		assertThat(body.get("name").asString()).isEqualTo(rule);
		assertThat(body.get("engine_id").asString()).isEqualTo(engine.engineId());
		assertThat(body.get("limits").get(0).get("per").asString()).isEqualTo("PT1H");
		assertThat(body.get("limits").get(1).get("per").asString()).isEqualTo("P1D");
		assertThat(body.get("limits").get(1).get("max").asLong()).isEqualTo(1000);
		assertThat(body.get("mode").asString()).isEqualTo("enforce");

		assertThat(check(engine, "gmail", "send_email").json().get("allowed").asBoolean()).isTrue();
		JsonNode shown = admin.get("/admin/quotas/" + rule).json();
		assertThat(shown.get("usage")).hasSize(2);
		JsonNode hour = shown.get("usage").get(0);
		assertThat(hour.get("engine_id").asString()).isEqualTo(engine.engineId());
		assertThat(hour.get("per").asString()).isEqualTo("PT1H");
		assertThat(hour.get("max").asLong()).isEqualTo(100);
		assertThat(hour.get("leased").asLong()).isBetween(1L, 100L);
		assertThat(hour.get("window_end").asString())
			.isEqualTo(Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)).toString());
		List<String> listed = new ArrayList<>();
		admin.get("/admin/quotas").json().get("quotas").forEach((it) -> listed.add(it.get("name").asString()));
		assertThat(listed).contains(rule);

		Response deleted = admin.send("DELETE", "/admin/quotas/" + rule, null);
		assertThat(deleted.status()).isEqualTo(204);
		assertThat(admin.get("/admin/quotas/" + rule).status()).isEqualTo(404);
		assertThat(admin.send("DELETE", "/admin/quotas/" + rule, null).status()).isEqualTo(404);
		JsonNode entries = admin.get("/admin/audit?target_type=quota&target_id=" + rule).json().get("entries");
		assertThat(entries).hasSize(2);
		assertThat(entries.get(0).get("action").asString()).isEqualTo("quota.delete");
		assertThat(entries.get(1).get("action").asString()).isEqualTo("quota.set");
		assertThat(entries.get(1).get("after").toString()).contains("send_email").contains("P1D");
	}

	@Test
	void badRuleIsRefusedNamingEveryFieldAndChangesNothing() {
		EngineControlClient admin = admin();
		Response refused = admin.put("/admin/quotas/bad-rule", "{\"platform\":\"gmail\",\"action_type\":\"send_email\","
				+ "\"limits\":[{\"max\":0,\"per\":\"PT1H\"},{\"max\":5,\"per\":\"soon\"}],\"mode\":\"loud\"}");
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refused.json().get("type").asString()).isEqualTo(PROBLEMS + "invalid-request");
		List<String> fields = new ArrayList<>();
		refused.json().get("errors").forEach((error) -> fields.add(error.get("field").asString()));
		assertThat(fields).containsExactlyInAnyOrder("limits[0].max", "limits[1].per", "mode");
		assertThat(admin.get("/admin/quotas/bad-rule").status()).isEqualTo(404);
		assertThat(admin.get("/admin/audit?target_type=quota&target_id=bad-rule").json().get("entries")).isEmpty();
	}

	@Test
	void ruleNamingAnActionTheCatalogLacksIsRefusedWith422() {
		Response refused = admin().put("/admin/quotas/no-such-action",
				"{\"platform\":\"gmail\",\"action_type\":\"fax\",\"limits\":[{\"max\":5,\"per\":\"PT1M\"}]}");
		assertThat(refused.status()).as(refused.body()).isEqualTo(422);
		assertThat(refused.json().get("type").asString()).isEqualTo(PROBLEMS + "unknown-capabilities");
		assertThat(admin().get("/admin/quotas/no-such-action").status()).isEqualTo(404);
	}

	@Test
	void checkOverQuotaIsDeniedWithTheRuleAndSecondsUntilTheWindowEnds() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		String rule = engine.engineId() + "-daily";
		putRule(rule, engine.engineId(), "gmail", "send_email", "[{\"max\":3,\"per\":\"P1D\"}]", "enforce");
		for (long remaining = 2; remaining >= 0; remaining--) {
			JsonNode allowed = check(engine, "gmail", "send_email").json();
			assertThat(allowed.get("allowed").asBoolean()).isTrue();
			assertThat(allowed.get("quota_remaining").asLong()).isEqualTo(remaining);
		}
		Instant before = Instant.now();
		JsonNode denied = check(engine, "gmail", "send_email").json();
		Instant after = Instant.now();
		assertThat(denied.get("allowed").asBoolean()).isFalse();
		assertThat(denied.get("reason").asString()).isEqualTo("QUOTA_EXCEEDED");
		assertThat(denied.get("quota").asString()).isEqualTo(rule);
		assertThat(denied.get("retry_after").isIntegralNumber()).as(denied.toString()).isTrue();
		Instant midnight = before.atZone(ZoneOffset.UTC)
			.toLocalDate()
			.plusDays(1)
			.atStartOfDay(ZoneOffset.UTC)
			.toInstant();
		assertThat(denied.get("retry_after").asLong()).isBetween(Duration.between(after, midnight).toSeconds(),
				Duration.between(before, midnight).toSeconds() + 1);
		assertThat(denied.has("quota_remaining")).isFalse();
		JsonNode records = admin().get("/admin/decisions?engine_id=" + engine.engineId() + "&reason=QUOTA_EXCEEDED")
			.json()
			.get("decisions");
		assertThat(records).hasSize(1);
		assertThat(records.get(0).get("flag").asString()).isEqualTo("quota:" + rule);
	}

	@Test
	void onlyChecksOtherwiseAllowedConsumeUnitsAndEveryRuleSpendsOrNone() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		String wide = engine.engineId() + "-a-wide";
		String narrow = engine.engineId() + "-b-narrow";
		putRule(wide, engine.engineId(), "gmail", "*", "[{\"max\":5,\"per\":\"P1D\"}]", "enforce");
		putRule(narrow, engine.engineId(), "gmail", "send_email", "[{\"max\":1,\"per\":\"P1D\"}]", "enforce");
		// not granted: denied before any quota, so nothing is spent
		assertThat(check(engine, "gmail", "read_email").json().get("reason").asString())
			.isEqualTo("ACTION_NOT_GRANTED");
		JsonNode first = check(engine, "gmail", "send_email").json();
		assertThat(first.get("allowed").asBoolean()).isTrue();
		assertThat(first.get("quota_remaining").asLong()).isZero();
		JsonNode second = check(engine, "gmail", "send_email").json();
		assertThat(second.get("quota").asString()).isEqualTo(narrow);
		// the unit the wide rule spent on the denied check went back
		assertThat(admin().send("DELETE", "/admin/quotas/" + narrow, null).status()).isEqualTo(204);
		JsonNode third = check(engine, "gmail", "send_email").json();
		assertThat(third.get("allowed").asBoolean()).isTrue();
		assertThat(third.get("quota_remaining").asLong()).isEqualTo(3);
	}

	@Test
	void batchItemsConsumeInRequestOrder() {
		EngineControlClient engine = register("{\"slack\":[\"post_message\"]}");
		putRule(engine.engineId() + "-posts", engine.engineId(), "slack", "post_message",
				"[{\"max\":2,\"per\":\"PT1H\"}]", "enforce");
		StringBuilder items = new StringBuilder();
		for (int i = 1; i <= 4; i++) {
			items.append((i > 1) ? "," : "")
				.append("{\"correlation_id\":\"c")
				.append(i)
				.append("\",\"platform\":\"slack\",\"action_type\":\"post_message\"}");
		}
		JsonNode results = engine.post("/actions/check/batch", "{\"checks\":[" + items + "]}").json().get("results");
		List<String> answers = new ArrayList<>();
		results.forEach((result) -> answers
			.add(result.get("correlation_id").asString() + ":" + result.get("reason").asString()));
		assertThat(answers).containsExactly("c1:ALLOWED", "c2:ALLOWED", "c3:QUOTA_EXCEEDED", "c4:QUOTA_EXCEEDED");
	}

	@Test
	void shadowRuleNeverDeniesAndReportsExactlyTheChecksItWouldHaveDenied() {
		EngineControlClient engine = register("{\"outlook\":[\"send_email\"]}");
		String rule = engine.engineId() + "-trial";
		putRule(rule, engine.engineId(), "outlook", "send_email", "[{\"max\":2,\"per\":\"P1D\"}]", "shadow");
		List<String> shadows = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			JsonNode answer = check(engine, "outlook", "send_email").json();
			assertThat(answer.get("allowed").asBoolean()).isTrue();
			assertThat(answer.get("reason").asString()).isEqualTo("ALLOWED");
			assertThat(answer.has("quota_remaining")).isFalse();
			shadows.add(answer.has("shadow") ? answer.get("shadow").toString() : "-");
		}
		String reported = "[{\"rule\":\"quota:" + rule + "\",\"reason\":\"QUOTA_EXCEEDED\"}]";
		assertThat(shadows).containsExactly("-", "-", reported, reported, reported);

		// Stored although allowed, and aggregated like denials: one record counting the
		// three (its count is written within the flush interval, 1 s).
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode records = admin().get("/admin/decisions?shadow=true&engine_id=" + engine.engineId())
				.json()
				.get("decisions");
			assertThat(records).hasSize(1);
			assertThat(records.get(0).get("count").asLong()).isEqualTo(3);
			assertThat(records.get(0).get("status").asString()).isEqualTo("allowed");
			assertThat(records.get(0).get("shadow").toString()).isEqualTo(reported);
		});
		assertThat(admin().get("/admin/decisions?shadow=false&engine_id=" + engine.engineId()).json().get("decisions"))
			.isEmpty();
		assertThat(admin().get("/actuator/prometheus").body())
			.contains("engine_control_shadow_denials_total{rule=\"quota:" + rule + "\"} 3.0");
	}

	@Test
	void shadowKillSwitchReportsInsteadOfDenyingUntilItEnforces() {
		EngineControlClient admin = admin();
		EngineControlClient engine = register("{\"google_calendar\":[\"create_event\"]}");
		String flag = "engine." + engine.engineId();
		Response set = admin.put("/admin/flags/" + flag, "{\"enabled\":false,\"mode\":\"shadow\"}");
		assertThat(set.status()).as(set.body()).isEqualTo(200);
		assertThat(set.json().get("mode").asString()).isEqualTo("shadow");
		JsonNode shadowed = check(engine, "google_calendar", "create_event").json();
		assertThat(shadowed.get("allowed").asBoolean()).isTrue();
		assertThat(shadowed.get("shadow").toString())
			.isEqualTo("[{\"rule\":\"flag:" + flag + "\",\"reason\":\"FLAG_DISABLED\"}]");
		JsonNode config = engine.get("/config/global").json();
		assertThat(config.get("kill_switches").get("off").toString()).doesNotContain(flag);
		assertThat(config.get("feature_flags").get(flag).asBoolean()).as("in effect: it denies nothing").isTrue();
		assertThat(admin.get("/config/global").json().get("feature_flags").get(flag).asBoolean())
			.as("the operator sees it as set")
			.isFalse();
		assertThat(admin.get("/admin/decisions?shadow=true&engine_id=" + engine.engineId()).json().get("decisions"))
			.hasSize(1);
		JsonNode audited = admin.get("/admin/audit?target_type=flag&target_id=" + flag + "&limit=1")
			.json()
			.get("entries")
			.get(0);
		assertThat(audited.get("after").toString()).contains("shadow");

		assertThat(admin.put("/admin/flags/" + flag, "{\"enabled\":false,\"mode\":\"loud\"}").status()).isEqualTo(400);
		assertThat(check(engine, "google_calendar", "create_event").json().get("allowed").asBoolean()).isTrue();

		assertThat(admin.put("/admin/flags/" + flag, "{\"enabled\":false}").json().get("mode").asString())
			.isEqualTo("enforce");
		JsonNode denied = check(engine, "google_calendar", "create_event").json();
		assertThat(denied.get("allowed").asBoolean()).isFalse();
		assertThat(denied.get("reason").asString()).isEqualTo("FLAG_DISABLED");
		assertThat(denied.has("shadow")).isFalse();
	}

	@Test
	void engineSeesItsOwnQuotasAndThoseOfEveryEngineButNeverAnotherEngines() {
		EngineControlClient engine = register("{\"notion\":[\"create_page\"]}");
		EngineControlClient other = register("{\"notion\":[\"create_page\"]}");
		putRule(engine.engineId() + "-pages", engine.engineId(), "notion", "create_page",
				"[{\"max\":10,\"per\":\"PT1H\"}]", "enforce");
		putRule(other.engineId() + "-pages", other.engineId(), "notion", "create_page",
				"[{\"max\":10,\"per\":\"PT1H\"}]", "enforce");
		putRule("every-engine-read-page", null, "notion", "read_page", "[{\"max\":50,\"per\":\"PT1M\"}]", "shadow");
		assertThat(check(engine, "notion", "create_page").json().get("quota_remaining").asLong()).isEqualTo(9);

		JsonNode own = engine.get("/quotas").json();
		assertThat(own.get("engine_id").asString()).isEqualTo(engine.engineId());
		List<String> rules = new ArrayList<>();
		own.get("quotas").forEach((quota) -> rules.add(quota.get("name").asString()));
		assertThat(rules).contains(engine.engineId() + "-pages", "every-engine-read-page")
			.doesNotContain(other.engineId() + "-pages");
		JsonNode pages = own.get("quotas").get(rules.indexOf(engine.engineId() + "-pages"));
		assertThat(pages.get("limits").get(0).get("remaining").asLong()).isEqualTo(9);
		assertThat(pages.get("limits").get(0).get("max").asLong()).isEqualTo(10);
	}

	private void putRule(String name, String engineId, String platform, String action, String limits, String mode) {
		String body = "{" + ((engineId != null) ? "\"engine_id\":\"" + engineId + "\"," : "") + "\"platform\":\""
				+ platform + "\",\"action_type\":\"" + action + "\",\"limits\":" + limits + ",\"mode\":\"" + mode
				+ "\"}";
		Response set = admin().put("/admin/quotas/" + name, body);
		assertThat(set.status()).as(set.body()).isEqualTo(200);
	}

	private EngineControlClient admin() {
		return new EngineControlClient(this.port, "admin", ADMIN_KEY);
	}

	private EngineControlClient register(String capabilities) {
		String name = "quota" + names.incrementAndGet() + "x" + Long.toHexString(System.nanoTime() & 0xffffff);
		Response registered = admin().post("/engines/register",
				"{\"engine_id\":\"" + name + "\",\"capabilities\":" + capabilities + "}");
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		return new EngineControlClient(this.port, name, registered.json().get("engine_key").asString());
	}

	private static Response check(EngineControlClient engine, String platform, String action) {
		return engine.post("/actions/check", "{\"platform\":\"" + platform + "\",\"action_type\":\"" + action + "\"}");
	}

}
