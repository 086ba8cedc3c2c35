package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import io.puraifi.enginecontrol.engine.EngineKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's control plane over real HTTP: listing, revoking and deleting engines,
 * patching capabilities, rotating and revoking keys, and enrollment tokens, each change
 * in the audit trail.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EngineControlPlaneIntegrationTests {

	static final String ADMIN_KEY = "control-plane-tests-admin-key-0123456789abcdef";

	private static final AtomicInteger names = new AtomicInteger();

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
		registry.add("engine-control.keys.rotation-overlap", () -> "1h");
		// Its bad tokens and keys, all from one address, exceed the default limit of
		// failed authentications; AuthenticationLimitsIntegrationTests tests the limit.
		registry.add("engine-control.auth-limits.failures-per-address", () -> 1_000);
		registry.add("engine-control.auth-limits.failures-per-engine", () -> 1_000);
		registry.add("engine-control.keys.last-used-flush-interval", () -> "200ms");
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	EngineControlClient admin;

	EngineControlClient anonymous;

	private final Map<String, String> tokenIds = new ConcurrentHashMap<>();

	private final Map<String, String> keys = new ConcurrentHashMap<>();

	@BeforeEach
	void clients() {
		this.admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
		this.anonymous = new EngineControlClient(this.port, null, null);
	}

	@Test
	void listEnginesPagesThroughEveryEngineInIdOrderWithACursor() {
		List<String> mine = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			mine.add(register("{\"gmail\":[\"send_email\"]}").engineId());
		}
		this.admin.post("/admin/engines/" + mine.get(1) + "/suspend", null);
		List<String> seen = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			Response page = this.admin.get("/admin/engines?limit=2" + ((cursor != null) ? "&cursor=" + cursor : ""));
			assertThat(page.status()).isEqualTo(200);
			JsonNode body = page.json();
			assertThat(body.get("engines").size()).isLessThanOrEqualTo(2);
			body.get("engines").forEach((engine) -> seen.add(engine.get("engine_id").asString()));
			cursor = body.has("next_cursor") ? body.get("next_cursor").asString() : null;
			pages++;
		}
		while (cursor != null && pages < 100);
		assertThat(seen).containsAll(mine).contains("admin").doesNotHaveDuplicates().isSorted();
		assertThat(pages).isGreaterThanOrEqualTo(3);

		JsonNode suspended = this.admin.get("/admin/engines?status=suspended&limit=500").json().get("engines");
		List<String> suspendedIds = new ArrayList<>();
		suspended.forEach((engine) -> {
			suspendedIds.add(engine.get("engine_id").asString());
			assertThat(engine.get("status").asString()).isEqualTo("suspended");
		});
		assertThat(suspendedIds).contains(mine.get(1)).doesNotContain(mine.get(0));
		JsonNode first = this.admin.get("/admin/engines?limit=500").json().get("engines").get(0);
		assertThat(first.has("capabilities")).isTrue();
		assertThat(first.has("created_at")).isTrue();

		assertThat(this.admin.get("/admin/engines?cursor=!!not-a-cursor").status()).isEqualTo(400);
		assertThat(this.admin.get("/admin/engines?limit=501").status()).isEqualTo(400);
		assertThat(this.admin.get("/admin/engines?limit=0").status()).isEqualTo(400);
		assertThat(this.admin.get("/admin/engines?status=sleeping").status()).isEqualTo(400);
		assertThat(this.admin.as(mine.get(0), keyOf(mine.get(0))).get("/admin/engines").status()).isEqualTo(403);
	}

	@Test
	void revokedEngineIsRefusedForGoodWithItsOwnProblemAndDenyReason() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		String id = engine.engineId();
		Response revoked = this.admin.post("/admin/engines/" + id + "/revoke", null);
		assertThat(revoked.status()).isEqualTo(200);
		assertThat(revoked.json().get("status").asString()).isEqualTo("revoked");

		Response refused = check(engine, "gmail", "send_email");
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.json().get("type").asString()).endsWith("/engine-revoked");
		assertThat(this.admin.get("/actuator/prometheus").body()).containsPattern(
				"engine_control_authentication_failures_total\\{[^}]*cause=\"engine_revoked\"[^}]*\\} [1-9]");
		Response asked = this.admin.post("/actions/check",
				"{\"engine_id\":\"" + id + "\",\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
		assertThat(asked.json().get("reason").asString()).isEqualTo("ENGINE_REVOKED");
		assertThat(asked.json().get("allowed").asBoolean()).isFalse();
		Response validate = this.admin.post("/engines/validate",
				"{\"engine_id\":\"" + id + "\",\"engine_key\":\"" + engine.key() + "\"}");
		assertThat(validate.body()).isEqualTo("{\"valid\":false}");

		assertThat(this.admin.post("/admin/engines/" + id + "/resume", null).status()).isEqualTo(409);
		assertThat(this.admin.post("/admin/engines/" + id + "/suspend", null).status()).isEqualTo(409);
		assertThat(this.admin.post("/admin/engines/" + id + "/keys/rotate", null).status()).isEqualTo(409);
		JsonNode keys = this.admin.get("/admin/engines/" + id + "/keys").json().get("keys");
		assertThat(keys).isNotEmpty();
		keys.forEach((key) -> assertThat(key.get("revoked_at").asString()).isNotBlank());
		assertThat(auditActions(id)).contains("engine.revoke");
	}

	@Test
	void operatorPrincipalCannotBeRevokedDeletedOrSuspended() {
		for (Response response : List.of(this.admin.post("/admin/engines/admin/revoke", null),
				this.admin.send("DELETE", "/admin/engines/admin", null),
				this.admin.post("/admin/engines/admin/suspend", null),
				this.admin.post("/admin/engines/admin/keys/rotate", null))) {
			assertThat(response.status()).isEqualTo(409);
			assertThat(response.contentType()).startsWith("application/problem+json");
		}
		assertThat(this.admin.get("/config/global").status()).isEqualTo(200);
		assertThat(this.admin.get("/admin/engines/admin/keys").json().get("keys")).isNotEmpty();
	}

	@Test
	void deleteRemovesTheEngineButKeepsItsEvents() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		String id = engine.engineId();
		assertThat(engine.post("/log/engine_event", "{\"level\":\"info\",\"event_type\":\"bye\"}").status())
			.isEqualTo(202);
		Response deleted = this.admin.send("DELETE", "/admin/engines/" + id, null);
		assertThat(deleted.status()).isEqualTo(204);
		assertThat(deleted.body()).isEmpty();
		assertThat(this.admin.get("/admin/engines/" + id).status()).isEqualTo(404);
		assertThat(this.admin.send("DELETE", "/admin/engines/" + id, null).status()).isEqualTo(404);
		assertThat(check(engine, "gmail", "send_email").status()).isEqualTo(401);
		assertThat(count("select count(*) from engine_event where engine_id = ?", id)).isEqualTo(1);
		assertThat(count("select count(*) from engine_key where engine_id = ?", id)).isZero();
		assertThat(count("select count(*) from engine_grant where engine_id = ?", id)).isZero();
		assertThat(auditActions(id)).contains("engine.delete");
	}

	@Test
	void patchCapabilitiesAddsAndRemoves() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"],\"slack\":[\"post_message\"]}");
		String id = engine.engineId();
		Response patched = this.admin.send("PATCH", "/admin/engines/" + id + "/capabilities",
				"{\"add\":{\"gmail\":[\"read_email\"]},\"remove\":{\"slack\":[\"post_message\"]}}");
		assertThat(patched.status()).isEqualTo(200);
		assertThat(patched.json().get("capabilities").toString())
			.isEqualTo("{\"gmail\":[\"read_email\",\"send_email\"]}");
		assertThat(reason(engine, "gmail", "read_email")).isEqualTo("ALLOWED");
		assertThat(reason(engine, "slack", "post_message")).isEqualTo("ACTION_NOT_GRANTED");

		Response unknown = this.admin.send("PATCH", "/admin/engines/" + id + "/capabilities",
				"{\"add\":{\"fax\":[\"send\"]}}");
		assertThat(unknown.status()).isEqualTo(422);
		Response both = this.admin.send("PATCH", "/admin/engines/" + id + "/capabilities",
				"{\"add\":{\"gmail\":[\"read_email\"]},\"remove\":{\"gmail\":[\"read_email\"]}}");
		assertThat(both.status()).isEqualTo(400);
		assertThat(this.admin.send("PATCH", "/admin/engines/" + id + "/capabilities", "{}").status()).isEqualTo(400);
		assertThat(this.admin.send("PATCH", "/admin/engines/nobody-here/capabilities", "{\"remove\":{}}").status())
			.isEqualTo(404);
		JsonNode entry = audit(id).get(0);
		assertThat(entry.get("action").asString()).isEqualTo("engine.capabilities.patch");
		assertThat(entry.get("before").get("capabilities").has("slack")).isTrue();
		assertThat(entry.get("after").get("capabilities").has("slack")).isFalse();
	}

	@Test
	void rotatedKeyOverlapsThenTheOldKeyStops() throws Exception {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		String id = engine.engineId();
		Response rotated = this.admin.post("/admin/engines/" + id + "/keys/rotate", "{\"overlap\":\"PT1S\"}");
		assertThat(rotated.status()).isEqualTo(201);
		JsonNode body = rotated.json();
		String newKey = body.get("engine_key").asString();
		assertThat(EngineKeys.isWellFormed(newKey)).isTrue();
		Instant created = Instant.parse(body.get("created_at").asString());
		Instant expires = Instant.parse(body.get("previous_keys_expire_at").asString());
		assertThat(Duration.between(created, expires)).isEqualTo(Duration.ofSeconds(1));
		assertThat(body.get("key_id").asString()).hasSize(36);

		EngineControlClient renewed = engine.as(id, newKey);
		assertThat(reason(engine, "gmail", "send_email")).isEqualTo("ALLOWED");
		assertThat(reason(renewed, "gmail", "send_email")).isEqualTo("ALLOWED");
		Thread.sleep(Math.max(0, Duration.between(Instant.now(), expires).toMillis()) + 100);
		assertThat(check(engine, "gmail", "send_email").status()).isEqualTo(401);
		assertThat(reason(renewed, "gmail", "send_email")).isEqualTo("ALLOWED");

		Response keys = this.admin.get("/admin/engines/" + id + "/keys");
		assertThat(keys.body()).doesNotContain(newKey, EngineKeys.hash(newKey), engine.key(),
				EngineKeys.hash(engine.key()));
		JsonNode list = keys.json().get("keys");
		assertThat(list).hasSize(2);
		assertThat(Instant.parse(list.get(0).get("expires_at").asString())).isEqualTo(expires);
		assertThat(list.get(1).get("key_id").asString()).isEqualTo(body.get("key_id").asString());
		assertThat(list.get(1).has("expires_at")).isFalse();
		assertThat(auditActions(id)).contains("engine.key.rotate");
		assertThat(audit(id).toString()).doesNotContain(newKey, EngineKeys.hash(newKey));

		assertThat(this.admin.post("/admin/engines/" + id + "/keys/rotate", "{\"overlap\":\"PT2H\"}").status())
			.isEqualTo(400);
		assertThat(this.admin.post("/admin/engines/" + id + "/keys/rotate", "{\"overlap\":\"-PT1S\"}").status())
			.isEqualTo(400);
	}

	@Test
	void rotationWithoutBodyUsesTheConfiguredOverlap() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		JsonNode body = this.admin.post("/admin/engines/" + engine.engineId() + "/keys/rotate", null).json();
		assertThat(Duration.between(Instant.parse(body.get("created_at").asString()),
				Instant.parse(body.get("previous_keys_expire_at").asString())))
			.isEqualTo(Duration.ofHours(1));
		assertThat(reason(engine, "gmail", "send_email")).isEqualTo("ALLOWED");
	}

	@Test
	void revokedKeyIsRefusedAtOnceAndLastUseIsRecorded() {
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		String id = engine.engineId();
		String keyId = this.admin.get("/admin/engines/" + id + "/keys")
			.json()
			.get("keys")
			.get(0)
			.get("key_id")
			.asString();
		assertThat(this.admin.get("/admin/engines/" + id + "/keys").json().get("keys").get(0).has("last_used_at"))
			.isFalse();
		assertThat(reason(engine, "gmail", "send_email")).isEqualTo("ALLOWED");
		JsonNode used = this.admin.get("/admin/engines/" + id + "/keys").json().get("keys").get(0);
		assertThat(used.get("last_used_at").asString()).isNotBlank();
		awaitStoredLastUse(keyId);

		Response revoked = this.admin.post("/admin/engines/" + id + "/keys/" + keyId + "/revoke", null);
		assertThat(revoked.status()).isEqualTo(200);
		assertThat(revoked.json().get("revoked_at").asString()).isNotBlank();
		Response refused = check(engine, "gmail", "send_email");
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(this.admin
			.post("/admin/engines/" + id + "/keys/" + "0".repeat(8) + "-0000-0000-0000-" + "0".repeat(12) + "/revoke",
					null)
			.status()).isEqualTo(404);
		assertThat(auditActions(id)).contains("engine.key.revoke");
	}

	@Test
	void enrollmentGrantsWhatTheCeilingAllowsAndListsTheRest() {
		Response created = this.admin.post("/admin/enrollment-tokens",
				"{\"capabilities\":{\"gmail\":[\"read_email\"],\"slack\":[\"post_message\"]},"
						+ "\"ttl\":\"PT1H\",\"uses\":2,\"description\":\"CI runners\"}");
		assertThat(created.status()).isEqualTo(201);
		String token = created.json().get("enrollment_token").asString();
		String tokenId = created.json().get("token_id").asString();
		assertThat(EngineKeys.isWellFormedEnrollmentToken(token)).isTrue();
		assertThat(created.json().get("uses").asInt()).isEqualTo(2);
		assertThat(created.json().get("expires_at").asString()).isNotBlank();

		String id = "enrolled-" + names.incrementAndGet();
		Response enrolled = this.anonymous.withHeader("X-Enrollment-Token", token)
			.post("/engines/register", "{\"engine_id\":\"" + id + "\",\"capabilities\":"
					+ "{\"gmail\":[\"read_email\",\"send_email\"],\"google_calendar\":[\"create_event\"]}}");
		assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
		assertThat(enrolled.json().get("capabilities").toString()).isEqualTo("{\"gmail\":[\"read_email\"]}");
		assertThat(enrolled.json().get("not_granted").toString())
			.isEqualTo("{\"gmail\":[\"send_email\"],\"google_calendar\":[\"create_event\"]}");
		EngineControlClient engine = this.anonymous.as(id, enrolled.json().get("engine_key").asString());
		assertThat(reason(engine, "gmail", "read_email")).isEqualTo("ALLOWED");
		assertThat(reason(engine, "gmail", "send_email")).isEqualTo("ACTION_NOT_GRANTED");

		Response listed = this.admin.get("/admin/enrollment-tokens");
		assertThat(listed.body()).doesNotContain(token, EngineKeys.hash(token));
		JsonNode mine = listed.json()
			.get("tokens")
			.valueStream()
			.filter((t) -> t.get("token_id").asString().equals(tokenId))
			.findFirst()
			.orElseThrow();
		assertThat(mine.get("uses_left").asInt()).isEqualTo(1);
		assertThat(mine.get("status").asString()).isEqualTo("active");
		assertThat(mine.get("description").asString()).isEqualTo("CI runners");

		assertThat(enroll(token).status()).isEqualTo(201);
		Response usedUp = enroll(token);
		assertThat(usedUp.status()).isEqualTo(401);
		assertThat(usedUp.contentType()).startsWith("application/problem+json");

		JsonNode audit = audit(id);
		assertThat(audit.get(0).get("action").asString()).isEqualTo("engine.enroll");
		assertThat(audit.get(0).get("after").get("enrollment_token_id").asString()).isEqualTo(tokenId);
		assertThat(audit.toString()).doesNotContain(token);
		assertThat(auditActions(tokenId)).contains("enrollment_token.create");
	}

	@Test
	void unknownExpiredRevokedAndUsedUpTokensGetTheSameAnswer() throws Exception {
		String expiring = createToken("PT1S", 5);
		String revoked = createToken("PT1H", 5);
		String usedUp = createToken("PT1H", 1);
		assertThat(enroll(usedUp).status()).isEqualTo(201);
		String revokedId = tokenIdOf(revoked);
		Response delete = this.admin.send("DELETE", "/admin/enrollment-tokens/" + revokedId, null);
		assertThat(delete.status()).isEqualTo(204);
		assertThat(auditActions(revokedId)).contains("enrollment_token.revoke");
		Thread.sleep(1_100);

		List<Response> refusals = List.of(enroll(expiring), enroll(revoked), enroll(usedUp),
				enroll(EngineKeys.generateEnrollmentToken()), enroll("not-a-token"));
		Set<String> bodies = new HashSet<>();
		for (Response refusal : refusals) {
			assertThat(refusal.status()).isEqualTo(401);
			assertThat(refusal.contentType()).startsWith("application/problem+json");
			assertThat(refusal.json().get("type").asString()).endsWith("/unauthenticated");
			bodies.add(refusal.body().replace(refusal.header("X-Request-ID"), ""));
		}
		assertThat(bodies).hasSize(1);
		Response none = this.anonymous.post("/engines/register",
				"{\"engine_id\":\"no-token-" + names.incrementAndGet() + "\",\"capabilities\":{}}");
		assertThat(none.status()).isEqualTo(401);
		assertThat(none.contentType()).startsWith("application/problem+json");
		assertThat(this.admin
			.send("DELETE", "/admin/enrollment-tokens/" + "0".repeat(8) + "-0000-0000-0000-" + "0".repeat(12), null)
			.status()).isEqualTo(404);
	}

	@Test
	void twoRegistrationsOnTheLastUseThenOneWins() throws Exception {
		String token = createToken("PT1H", 1);
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			List<Future<Response>> results = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				results.add(executor.submit(() -> {
					start.await();
					return enroll(token);
				}));
			}
			start.countDown();
			List<Integer> statuses = new ArrayList<>();
			for (Future<Response> result : results) {
				statuses.add(result.get().status());
			}
			assertThat(statuses).containsExactlyInAnyOrder(201, 401);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void enrollmentTokenValidationAndOperatorOnly() {
		assertThat(this.admin.post("/admin/enrollment-tokens", "{\"capabilities\":{\"fax\":[\"send\"]}}").status())
			.isEqualTo(422);
		assertThat(this.admin.post("/admin/enrollment-tokens", "{\"capabilities\":{},\"ttl\":\"P60D\"}").status())
			.isEqualTo(400);
		assertThat(this.admin.post("/admin/enrollment-tokens", "{\"capabilities\":{},\"uses\":0}").status())
			.isEqualTo(400);
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		assertThat(engine.post("/admin/enrollment-tokens", "{\"capabilities\":{}}").status()).isEqualTo(403);
		assertThat(engine.get("/admin/enrollment-tokens").status()).isEqualTo(403);
		Response defaults = this.admin.post("/admin/enrollment-tokens", "{\"capabilities\":{}}");
		assertThat(defaults.status()).isEqualTo(201);
		assertThat(defaults.json().get("uses").asInt()).isEqualTo(1);
	}

	private String createToken(String ttl, int uses) {
		Response created = this.admin.post("/admin/enrollment-tokens",
				"{\"capabilities\":{\"gmail\":[\"read_email\"]},\"ttl\":\"" + ttl + "\",\"uses\":" + uses + "}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		String token = created.json().get("enrollment_token").asString();
		this.tokenIds.put(token, created.json().get("token_id").asString());
		return token;
	}

	private String tokenIdOf(String token) {
		return this.tokenIds.get(token);
	}

	private Response enroll(String token) {
		return this.anonymous.withHeader("X-Enrollment-Token", token)
			.post("/engines/register", "{\"engine_id\":\"enrolled-" + names.incrementAndGet()
					+ "\",\"capabilities\":{\"gmail\":[\"read_email\"]}}");
	}

	private EngineControlClient register(String capabilities) {
		String engineId = "cp-engine-" + names.incrementAndGet();
		Response registered = this.admin.post("/engines/register",
				"{\"engine_id\":\"" + engineId + "\",\"capabilities\":" + capabilities + "}");
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		String key = registered.json().get("engine_key").asString();
		this.keys.put(engineId, key);
		return this.admin.as(engineId, key);
	}

	private String keyOf(String engineId) {
		return this.keys.get(engineId);
	}

	private JsonNode audit(String targetId) {
		return this.admin.get("/admin/audit?target_id=" + targetId).json().get("entries");
	}

	private List<String> auditActions(String targetId) {
		List<String> actions = new ArrayList<>();
		audit(targetId).forEach((entry) -> actions.add(entry.get("action").asString()));
		return actions;
	}

	private void awaitStoredLastUse(String keyId) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (count("select count(*) from engine_key where key_id = ? and last_used_at is not null", keyId) == 0) {
			assertThat(System.nanoTime()).as("last use flushed within 5 s").isLessThan(deadline);
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

	private long count(String sql, String param) {
		return this.jdbc.sql(sql).param(param).query(Long.class).single();
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

}
