package io.puraifi.enginecontrol.engine;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.puraifi.enginecontrol.support.ContractValidator;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed authentications under attack, end to end over real HTTP: wrong keys get 429 with
 * {@code Retry-After} after 10 failures a minute per (engine id, address) and per
 * address, while right keys are never refused, whoever failed before; unknown ids past
 * the limit are refused without a store lookup; {@code /engines/validate} is limited per
 * caller the same way; a flood of random ids stays bounded in memory without slowing
 * other engines. Client addresses come from {@code X-Forwarded-For}, believed because
 * loopback is a trusted proxy ({@code engine-control.auth-limits.trusted-proxies}), as
 * behind a proxy; a request without it comes from loopback itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthenticationLimitsIntegrationTests {

	private static final String ADMIN_KEY = "auth-limits-tests-admin-key-0123456789abcdef";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int MAX_TRACKED = 1_000;

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
		registry.add("engine-control.auth-limits.trusted-proxies", () -> "127.0.0.1/32,::1/128");
		registry.add("engine-control.auth-limits.max-tracked", () -> MAX_TRACKED);
		registry.add("engine-control.cache.maximum-size", () -> MAX_TRACKED);
	}

	@LocalServerPort
	int port;

	@Autowired
	AuthenticationLimits limits;

	@Autowired
	EngineRegistry registry;

	@Autowired
	MeterRegistry meters;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void thousandWrongKeysForTheOperatorAndAnEngineFromOneAddressRefuseNoRightKey() {
		String staleKey = register("stale");
		String thirdKey = register("third");
		String wrong = EngineKeys.generate();
		Map<Integer, Integer> statuses = new TreeMap<>();
		for (int i = 0; i < 1_000; i++) {
			statuses.merge(direct("GET", "/admin/engines/stale", "admin", wrong, null).statusCode(), 1, Integer::sum);
			statuses.merge(direct("GET", "/config/global", "stale", wrong, null).statusCode(), 1, Integer::sum);
		}
		assertThat(statuses).as("10 failures a minute from one address, then 429")
			.isEqualTo(Map.of(401, 10, 429, 1_990));
		HttpResponse<String> operator = direct("GET", "/admin/engines/stale", "admin", ADMIN_KEY, null);
		assertThat(operator.statusCode()).as(operator.body()).isEqualTo(200);
		assertThat(json(operator.body()).get("engine_id").asString()).isEqualTo("stale");
		assertThat(direct("GET", "/config/global", "stale", staleKey, null).statusCode()).isEqualTo(200);
		HttpResponse<String> third = direct("POST", "/actions/check", "third", thirdKey,
				"{\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
		assertThat(third.statusCode()).as(third.body()).isEqualTo(200);
		assertThat(json(third.body()).get("allowed").asBoolean()).isTrue();
		assertThat(direct("GET", "/config/global", "stale", wrong, null).statusCode())
			.as("wrong keys are still refused")
			.isEqualTo(429);
	}

	@Test
	void wrongKeysForOneEngineFromOneAddressAreLimitedButItsRightKeyStillGetsIn() {
		String key = register("victim");
		double limitedBefore = limited("credentials");
		for (int i = 0; i < 10; i++) {
			assertThat(send("GET", "/config/global", "10.1.0.1", "victim", key + "x", null).statusCode())
				.isEqualTo(401);
		}
		HttpResponse<String> limited = send("GET", "/config/global", "10.1.0.1", "victim", key + "x", null);
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(JSON.readTree(limited.body()).get("type").asString()).endsWith("/too-many-requests");
		assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
		assertThat(send("GET", "/config/global", "10.1.0.1", "victim", key, null).statusCode())
			.as("the right key, from the address that failed")
			.isEqualTo(200);
		assertThat(send("GET", "/config/global", "10.1.0.2", "victim", key, null).statusCode())
			.as("the real engine, from its own address")
			.isEqualTo(200);
		assertThat(send("GET", "/config/global", "10.1.0.1", "victim", key + "y", null).statusCode()).isEqualTo(429);
		assertThat(limited("credentials")).isEqualTo(limitedBefore + 2);
	}

	@Test
	void unknownIdsPastTheLimitAreRefusedWithoutLookupWhileRegisteredEnginesStillGetIn() {
		String key = register("bystander");
		assertThat(this.registry.isCached("bystander")).as("registered, never used: not cached").isFalse();
		for (int i = 0; i < 10; i++) {
			send("GET", "/config/global", "10.2.0.1", "guess-" + i, "ec_wrong", null);
		}
		assertThat(send("GET", "/config/global", "10.2.0.1", "guess-10", "ec_wrong", null).statusCode()).isEqualTo(429);
		assertThat(this.registry.isCached("guess-10")).as("refused without asking the store").isFalse();
		assertThat(send("GET", "/config/global", "10.2.0.1", "bystander", key, null).statusCode())
			.as("not cached, from an address that used up its lookups of unknown ids: still a right key")
			.isEqualTo(200);
		assertThat(send("GET", "/config/global", "10.2.0.1", "bystander", key + "x", null).statusCode())
			.as("a wrong key for it is refused")
			.isEqualTo(429);
	}

	@Test
	void ipv6ClientsAreCountedByTheirSlash64() {
		for (int i = 0; i < 10; i++) {
			assertThat(send("GET", "/config/global", "2001:db8:7:7::" + Integer.toHexString(i + 1), "sixer", "ec_wrong",
					null)
				.statusCode()).isEqualTo(401);
		}
		assertThat(send("GET", "/config/global", "2001:db8:7:7:ffff:1:2:3", "sixer", "ec_wrong", null).statusCode())
			.as("same /64")
			.isEqualTo(429);
		assertThat(send("GET", "/config/global", "2001:db8:7:8::1", "sixer", "ec_wrong", null).statusCode())
			.as("next /64")
			.isEqualTo(401);
	}

	@Test
	void badEnrollmentTokensAreLimitedPerAddressApartFromEngineKeys() {
		String key = register("enroller-neighbour");
		String body = "{\"engine_id\":\"intruder\",\"capabilities\":{\"gmail\":[\"send_email\"]}}";
		for (int i = 0; i < 10; i++) {
			assertThat(enroll("10.3.0.1", "ecenr_guess" + i, body).statusCode()).isEqualTo(401);
		}
		HttpResponse<String> limited = enroll("10.3.0.1", "ecenr_guess10", body);
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("Retry-After")).isPresent();
		assertThat(enroll("10.3.0.2", "ecenr_guess11", body).statusCode()).isEqualTo(401);
		assertThat(send("GET", "/config/global", "10.3.0.1", "enroller-neighbour", key, null).statusCode())
			.isEqualTo(200);
		assertThat(send("GET", "/config/global", "10.3.0.1", "enroller-neighbour", key + "x", null).statusCode())
			.as("engine keys are counted apart")
			.isEqualTo(401);
	}

	@Test
	void validateIsLimitedPerCallerAndValidatedEngineButRightCredentialsAreStillValid() {
		String victimKey = register("validated");
		String proberKey = register("prober");
		String witnessKey = register("witness");
		double limitedBefore = limited("validation");
		String wrong = "{\"engine_id\":\"validated\",\"engine_key\":\"" + victimKey + "x\"}";
		for (int i = 0; i < 10; i++) {
			HttpResponse<String> answer = send("POST", "/engines/validate", "10.4.0.1", "prober", proberKey, wrong);
			assertThat(answer.statusCode()).isEqualTo(200);
			assertThat(answer.body()).isEqualTo("{\"valid\":false}");
		}
		HttpResponse<String> limited = send("POST", "/engines/validate", "10.4.0.1", "prober", proberKey, wrong);
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("Retry-After")).isPresent();
		String right = "{\"engine_id\":\"validated\",\"engine_key\":\"" + victimKey + "\"}";
		HttpResponse<String> still = send("POST", "/engines/validate", "10.4.0.1", "prober", proberKey, right);
		assertThat(still.statusCode()).as("the same caller, right credentials").isEqualTo(200);
		assertThat(JSON.readTree(still.body()).get("valid").asBoolean()).isTrue();
		HttpResponse<String> other = send("POST", "/engines/validate", "10.4.0.1", "witness", witnessKey, right);
		assertThat(other.statusCode()).as("another caller, same address").isEqualTo(200);
		assertThat(JSON.readTree(other.body()).get("valid").asBoolean()).isTrue();
		assertThat(limited("validation")).isEqualTo(limitedBefore + 1);
	}

	@Test
	void floodOfRandomEngineIdsStaysBoundedAndDoesNotSlowOtherEngines() throws Exception {
		String key = register("steady");
		String check = "{\"platform\":\"gmail\",\"action_type\":\"send_email\"}";
		long before = medianCheck(key, check, 20);
		String wrongKey = EngineKeys.generate();
		// What the authentication filter does for each attempt, for 50,000 random ids
		// from random addresses.
		CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			for (int i = 0; i < 50_000; i++) {
				String address = "10.99." + random.nextInt(256) + "." + random.nextInt(256);
				String engineId = "f" + Long.toHexString(random.nextLong());
				if (this.limits.credentialsBlocked(address, engineId).isEmpty()
						&& this.registry.authenticate(engineId, wrongKey).isEmpty()) {
					this.limits.credentialsFailed(address, engineId, true);
				}
			}
		});
		List<Long> during = new ArrayList<>();
		while (!flood.isDone()) {
			long start = System.nanoTime();
			assertThat(send("POST", "/actions/check", "10.5.0.1", "steady", key, check).statusCode()).isEqualTo(200);
			during.add(System.nanoTime() - start);
		}
		flood.get();
		long after = medianCheck(key, check, 20);
		for (FailureLimiter limiter : this.limits.all()) {
			limiter.sources().cleanUp();
			limiter.pairs().cleanUp();
			assertThat(limiter.sources().estimatedSize()).isLessThanOrEqualTo(MAX_TRACKED);
			assertThat(limiter.pairs().estimatedSize()).isLessThanOrEqualTo(MAX_TRACKED);
		}
		assertThat(this.meters.get("cache.size").tag("cache", "unknown_engines").gauge().value())
			.isLessThanOrEqualTo(MAX_TRACKED);
		long[] sorted = during.stream().mapToLong(Long::longValue).sorted().toArray();
		long duringMedian = (sorted.length > 0) ? sorted[sorted.length / 2] : 0;
		System.out.printf("check median before %d us, during the flood %d us (%d checks), after %d us%n", before / 1000,
				duringMedian / 1000, sorted.length, after / 1000);
		assertThat(after).isLessThan(before * 3 + 20_000_000L);
		assertThat(duringMedian).isLessThan(before * 5 + 50_000_000L);
	}

	private long medianCheck(String key, String check, int count) {
		long[] times = new long[count];
		for (int i = 0; i < count; i++) {
			long start = System.nanoTime();
			assertThat(send("POST", "/actions/check", "10.5.0.1", "steady", key, check).statusCode()).isEqualTo(200);
			times[i] = System.nanoTime() - start;
		}
		Arrays.sort(times);
		return times[count / 2];
	}

	private String register(String engineId) {
		HttpResponse<String> response = send("POST", "/engines/register", "10.9.9.9", "admin", ADMIN_KEY,
				"{\"engine_id\":\"" + engineId + "\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return JSON.readTree(response.body()).get("engine_key").asString();
	}

	private double limited(String limiter) {
		String metrics = send("GET", "/actuator/prometheus", "10.9.9.9", "admin", ADMIN_KEY, null).body();
		return metrics.lines()
			.filter((line) -> line.startsWith("engine_control_authentication_limited_total{limiter=\"" + limiter))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.findFirst()
			.orElseThrow();
	}

	private HttpResponse<String> enroll(String address, String token, String body) {
		return exchange(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/engines/register"))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.header("Content-Type", "application/json")
			.header("X-Forwarded-For", address)
			.header("X-Enrollment-Token", token), body);
	}

	/** A request from loopback itself, without {@code X-Forwarded-For}. */
	private HttpResponse<String> direct(String method, String path, String engineId, String key, String body) {
		return send(method, path, null, engineId, key, body);
	}

	private HttpResponse<String> send(String method, String path, String address, String engineId, String key,
			String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
			.header("X-Engine-ID", engineId)
			.header("X-Engine-Key", key);
		if (address != null) {
			request.header("X-Forwarded-For", address);
		}
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		return exchange(request, body);
	}

	private HttpResponse<String> exchange(HttpRequest.Builder request, String body) {
		try {
			return ContractValidator.check(this.http.send(request.build(), HttpResponse.BodyHandlers.ofString()), body);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static JsonNode json(String body) {
		return JSON.readTree(body);
	}

}
