package io.puraifi.enginecontrol;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-engine request budgets end to end, over real HTTP on the default H2 store: the
 * operator's override API, the 429 an engine over its budget gets (with
 * {@code Retry-After}, a problem body and a metric, and no decision record), and one
 * engine flooding the service while another is served as usual.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BudgetIntegrationTests {

	static final String ADMIN_KEY = "operator-key-for-budget-tests-0123456789abcdef";

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
	void overrideIsShownAuditedAndRemoved() {
		EngineControlClient admin = admin();
		String engine = register("{\"gmail\":[\"send_email\"]}").engineId();
		JsonNode defaults = admin.get("/admin/engines/" + engine + "/budget").json();
		assertThat(defaults.get("enforced").asBoolean()).isTrue();
		assertThat(defaults.get("checks_per_second").asInt()).isEqualTo(1000);
		assertThat(defaults.get("checks_burst").asInt()).isEqualTo(2000);
		assertThat(defaults.get("events_per_second").asInt()).isEqualTo(500);
		assertThat(defaults.get("events_burst").asInt()).isEqualTo(5000);
		assertThat(defaults.get("validate_per_second").asInt()).isEqualTo(100);
		assertThat(defaults.get("validate_burst").asInt()).isEqualTo(200);
		assertThat(defaults.get("overridden")).isEmpty();
		assertThat(defaults.has("updated_at")).isFalse();

		Response set = admin.put("/admin/engines/" + engine + "/budget",
				"{\"checks_per_second\":20,\"events_burst\":50}");
		assertThat(set.status()).as(set.body()).isEqualTo(200);
		JsonNode shown = admin.get("/admin/engines/" + engine + "/budget").json();
		assertThat(shown.get("checks_per_second").asInt()).isEqualTo(20);
		assertThat(shown.get("checks_burst").asInt()).isEqualTo(2000);
		assertThat(shown.get("events_burst").asInt()).isEqualTo(50);
		assertThat(shown.get("overridden").toString()).isEqualTo("[\"checks_per_second\",\"events_burst\"]");
		assertThat(shown.get("updated_at").asString()).isNotBlank();
		assertThat(set.json()).isEqualTo(shown);

		JsonNode entry = admin.get("/admin/audit?target_type=engine&target_id=" + engine + "&limit=1")
			.json()
			.get("entries")
			.get(0);
		assertThat(entry.get("action").asString()).isEqualTo("engine.budget.set");
		assertThat(entry.get("actor").asString()).isEqualTo("admin");
		assertThat(entry.get("after").toString()).isEqualTo("{\"checks_per_second\":20,\"events_burst\":50}");

		assertThat(admin.send("DELETE", "/admin/engines/" + engine + "/budget", null).status()).isEqualTo(204);
		JsonNode reset = admin.get("/admin/engines/" + engine + "/budget").json();
		assertThat(reset.get("checks_per_second").asInt()).isEqualTo(1000);
		assertThat(reset.get("overridden")).isEmpty();
		JsonNode deleted = admin.get("/admin/audit?target_type=engine&target_id=" + engine + "&limit=1")
			.json()
			.get("entries")
			.get(0);
		assertThat(deleted.get("action").asString()).isEqualTo("engine.budget.delete");
		assertThat(deleted.get("before").toString()).isEqualTo("{\"checks_per_second\":20,\"events_burst\":50}");
		Response again = admin.send("DELETE", "/admin/engines/" + engine + "/budget", null);
		assertThat(again.status()).isEqualTo(404);
		assertThat(again.contentType()).isEqualTo("application/problem+json");
	}

	@Test
	void badOverrideIsRefusedNamingTheFieldAndChangesNothing() {
		EngineControlClient admin = admin();
		EngineControlClient client = register("{\"gmail\":[\"send_email\"]}");
		String engine = client.engineId();
		admin.put("/admin/engines/" + engine + "/budget", "{\"checks_burst\":40}");
		int audited = admin.get("/admin/audit?target_type=engine&target_id=" + engine).json().get("entries").size();
		for (String[] bad : new String[][] { { "{\"checks_per_second\":0}", "checks_per_second" },
				{ "{\"events_burst\":-5}", "events_burst" },
				{ "{\"validate_per_second\":1000001}", "validate_per_second" },
				{ "{\"checks_burst\":\"many\"}", "checks_burst" }, { "{\"checks_per_sec\":5}", "checks_per_sec" } }) {
			Response refused = admin.put("/admin/engines/" + engine + "/budget", bad[0]);
			assertThat(refused.status()).as(bad[0]).isEqualTo(400);
			assertThat(refused.contentType()).isEqualTo("application/problem+json");
			assertThat(refused.json().get("type").asString()).isEqualTo(PROBLEMS + "invalid-request");
			assertThat(refused.body()).as(bad[0]).contains(bad[1]);
		}
		JsonNode shown = admin.get("/admin/engines/" + engine + "/budget").json();
		assertThat(shown.get("checks_burst").asInt()).isEqualTo(40);
		assertThat(shown.get("overridden").toString()).isEqualTo("[\"checks_burst\"]");
		assertThat(admin.get("/admin/audit?target_type=engine&target_id=" + engine).json().get("entries").size())
			.isEqualTo(audited);

		assertThat(admin.put("/admin/engines/nosuchengine/budget", "{}").status()).isEqualTo(404);
		assertThat(admin.put("/admin/engines/admin/budget", "{\"checks_burst\":1}").status()).isEqualTo(409);
		assertThat(admin.get("/admin/engines/admin/budget").json().get("enforced").asBoolean()).isFalse();
		Response notOperator = client.get("/admin/engines/" + engine + "/budget");
		assertThat(notOperator.status()).isEqualTo(403);
	}

	@Test
	void checkOverBudgetIs429WithRetryAfterAProblemAndAMetricAndNoDecisionRecord() throws InterruptedException {
		EngineControlClient admin = admin();
		// Granted nothing that it asks for: each check is a denial, and denials are
		// stored.
		EngineControlClient engine = register("{\"gmail\":[\"read_email\"]}");
		admin.put("/admin/engines/" + engine.engineId() + "/budget", "{\"checks_per_second\":1,\"checks_burst\":2}");
		double refusedBefore = refusedChecks(admin);

		assertThat(check(engine, "gmail", "send_email").status()).isEqualTo(200);
		assertThat(check(engine, "slack", "post_message").status()).isEqualTo(200);
		Response refused = check(engine, "outlook", "send_email");
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.contentType()).isEqualTo("application/problem+json");
		assertThat(refused.header("Retry-After")).isEqualTo("1");
		JsonNode problem = refused.json();
		assertThat(problem.get("type").asString()).isEqualTo(PROBLEMS + "budget-exceeded");
		assertThat(problem.get("status").asInt()).isEqualTo(429);
		assertThat(problem.get("detail").asString()).isEqualTo(
				"Engine '" + engine.engineId() + "' is over its checks budget of 1 per second (burst 2); retry in 1 s");
		assertThat(problem.get("budget").asString()).isEqualTo("checks");
		assertThat(problem.get("allowed").asBoolean()).isFalse();
		assertThat(problem.get("request_id").asString()).isEqualTo(refused.header("X-Request-ID"));
		assertThat(refusedChecks(admin)).isEqualTo(refusedBefore + 1);
		assertThat(metricLines(admin, "engine_control_budget_refused_total"))
			.allSatisfy((line) -> assertThat(line).doesNotContain(engine.engineId()).contains("budget=\""));

		// A denial decided after the refusal: once it is stored, so is everything before
		// it (one writer, in order), and the refused check left no record.
		Thread.sleep(1_100);
		Response later = check(engine, "notion", "create_page");
		assertThat(later.status()).as(later.body()).isEqualTo(200);
		String decisions = "/admin/decisions?engine_id=" + engine.engineId();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (admin.get(decisions + "&platform=notion").json().get("decisions").isEmpty()
				&& System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(admin.get(decisions + "&platform=notion").json().get("decisions")).hasSize(1);
		assertThat(admin.get(decisions + "&platform=slack").json().get("decisions")).hasSize(1);
		assertThat(admin.get(decisions + "&platform=outlook").json().get("decisions")).isEmpty();
	}

	@Test
	void batchesTakeOneTokenPerItemAndAreRefusedWhole() {
		EngineControlClient admin = admin();
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		admin.put("/admin/engines/" + engine.engineId() + "/budget",
				"{\"checks_per_second\":1,\"checks_burst\":5,\"events_per_second\":1,\"events_burst\":3}");

		String budget = "/admin/engines/" + engine.engineId() + "/budget";
		assertThat(admin.get(budget).json().get("available").get("checks").asLong()).as("a full bucket").isEqualTo(5);
		Response tooBig = engine.post("/actions/check/batch", batchOfChecks(6));
		assertThat(tooBig.status()).as("no wait would help: a 400, without Retry-After").isEqualTo(400);
		assertThat(tooBig.header("Retry-After")).isNull();
		assertThat(tooBig.json().get("detail").asString()).contains("send at most 5 per request");
		Response fits = engine.post("/actions/check/batch", batchOfChecks(5));
		assertThat(fits.status()).isEqualTo(200);
		assertThat(fits.json().get("results")).hasSize(5)
			.allSatisfy((result) -> assertThat(result.get("allowed").asBoolean()).isTrue());
		assertThat(check(engine, "gmail", "send_email").status()).isEqualTo(429);
		assertThat(admin.get(budget).json().get("available").get("checks").asLong()).as("spent, refilling at 1/s")
			.isLessThan(5);

		Response events = engine.post("/log/engine_events", batchOfEvents(4));
		assertThat(events.status()).as("more events than the burst").isEqualTo(400);
		assertThat(events.json().get("errors").get(0).get("field").asString()).isEqualTo("events");
		assertThat(engine.post("/log/engine_events", batchOfEvents(3)).status()).isEqualTo(202);
		assertThat(engine.post("/log/engine_event", "{\"level\":\"info\",\"event_type\":\"one.more\"}").status())
			.isEqualTo(429);
		assertThat(admin.get("/admin/events?engine_id=" + engine.engineId()).json().get("events")).hasSize(3);
	}

	@Test
	void validateTakesOneTokenPerCall() {
		EngineControlClient admin = admin();
		EngineControlClient engine = register("{\"gmail\":[\"send_email\"]}");
		admin.put("/admin/engines/" + engine.engineId() + "/budget",
				"{\"validate_per_second\":1,\"validate_burst\":2}");
		String body = "{\"engine_id\":\"" + engine.engineId() + "\",\"engine_key\":\"" + engine.key() + "\"}";
		assertThat(engine.post("/engines/validate", body).json().get("valid").asBoolean()).isTrue();
		assertThat(engine.post("/engines/validate", body).status()).isEqualTo(200);
		Response refused = engine.post("/engines/validate", body);
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.json().get("type").asString()).isEqualTo(PROBLEMS + "budget-exceeded");
		assertThat(refused.json().get("budget").asString()).isEqualTo("validate");
		assertThat(check(engine, "gmail", "send_email").status()).as("checks have their own bucket").isEqualTo(200);
	}

	/**
	 * The test: engine A sends at ten times its budget over eight connections
	 * while engine B sends at a steady rate under its own; every one of B's checks is
	 * answered 200 with its normal answer, and A gets 429s.
	 */
	@Test
	void engineFloodingAtTenTimesItsBudgetLeavesAnotherEngineServedAsUsual() throws Exception {
		EngineControlClient admin = admin();
		EngineControlClient a = register("{\"gmail\":[\"send_email\"]}");
		EngineControlClient b = register("{\"gmail\":[\"send_email\"]}");
		int budget = 20;
		admin.put("/admin/engines/" + a.engineId() + "/budget",
				"{\"checks_per_second\":" + budget + ",\"checks_burst\":" + budget + "}");

		Duration length = Duration.ofSeconds(3);
		int threads = 8;
		// Ten times the budget in all: each of the eight threads sends every 40 ms.
		long interval = TimeUnit.SECONDS.toNanos(1) * threads / (budget * 10L);
		ConcurrentLinkedQueue<Integer> aStatuses = new ConcurrentLinkedQueue<>();
		List<String> bAnswers = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		long start = System.nanoTime();
		long end = start + length.toNanos();
		try {
			List<Future<?>> senders = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				senders.add(pool.submit(() -> {
					// One HttpClient per thread: its own connection.
					HttpClient http = HttpClient.newHttpClient();
					HttpRequest request = checkRequest(a);
					long next = System.nanoTime();
					while (System.nanoTime() < end) {
						aStatuses.add(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
						next += interval;
						long sleep = next - System.nanoTime();
						if (sleep > 0) {
							TimeUnit.NANOSECONDS.sleep(sleep);
						}
					}
					return null;
				}));
			}
			while (System.nanoTime() < end) {
				Response answer = check(b, "gmail", "send_email");
				bAnswers.add(answer.status() + " " + answer.json().get("allowed") + " "
						+ answer.json().get("reason").asString());
				Thread.sleep(50);
			}
			for (Future<?> sender : senders) {
				sender.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		double seconds = (System.nanoTime() - start) / 1e9;

		assertThat(bAnswers).hasSizeGreaterThan(20).allMatch("200 true ALLOWED"::equals);
		long aAllowed = aStatuses.stream().filter((status) -> status == 200).count();
		long aRefused = aStatuses.stream().filter((status) -> status == 429).count();
		assertThat(aStatuses).allMatch((status) -> status == 200 || status == 429);
		assertThat(aRefused).isPositive();
		assertThat(aAllowed).isPositive().isLessThanOrEqualTo((long) (budget + budget * seconds) + 1);
	}

	private EngineControlClient admin() {
		return new EngineControlClient(this.port, "admin", ADMIN_KEY);
	}

	private EngineControlClient register(String capabilities) {
		String name = "budget" + names.incrementAndGet() + "x" + Long.toHexString(System.nanoTime() & 0xffffff);
		Response registered = admin().post("/engines/register",
				"{\"engine_id\":\"" + name + "\",\"capabilities\":" + capabilities + "}");
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		return new EngineControlClient(this.port, name, registered.json().get("engine_key").asString());
	}

	private static Response check(EngineControlClient engine, String platform, String action) {
		return engine.post("/actions/check", "{\"platform\":\"" + platform + "\",\"action_type\":\"" + action + "\"}");
	}

	private HttpRequest checkRequest(EngineControlClient engine) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actions/check"))
			.header("Content-Type", "application/json")
			.header("X-Engine-ID", engine.engineId())
			.header("X-Engine-Key", engine.key())
			.POST(HttpRequest.BodyPublishers.ofString("{\"platform\":\"gmail\",\"action_type\":\"send_email\"}"))
			.build();
	}

	private static String batchOfChecks(int size) {
		List<String> items = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			items.add("{\"correlation_id\":\"c" + i + "\",\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
		}
		return "{\"checks\":[" + String.join(",", items) + "]}";
	}

	private static String batchOfEvents(int size) {
		List<String> items = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			items.add("{\"level\":\"info\",\"event_type\":\"batch.item\",\"message\":\"" + i + "\"}");
		}
		return "{\"events\":[" + String.join(",", items) + "]}";
	}

	private static double refusedChecks(EngineControlClient admin) {
		Pattern line = Pattern.compile("^engine_control_budget_refused_total\\{[^}]*budget=\"checks\"[^}]*} (\\S+)$",
				Pattern.MULTILINE);
		Matcher matcher = line.matcher(admin.get("/actuator/prometheus").body());
		assertThat(matcher.find()).as("the checks refusal counter").isTrue();
		return Double.parseDouble(matcher.group(1));
	}

	private static List<String> metricLines(EngineControlClient admin, String name) {
		return admin.get("/actuator/prometheus").body().lines().filter((line) -> line.startsWith(name)).toList();
	}

}
