package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plain single check is answered by {@code CheckFastPath}, any other by Spring MVC
 * (here: the same request with {@code API-Version: 1}, which sends it there): both
 * answers must be the same, allowed, denied, refused or malformed, over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CheckFastPathIntegrationTests {

	static final String ADMIN_KEY = "operator-key-for-fast-path-tests-0123456789abcdef";

	/** What differs between any two answers: when, and which request. */
	private static final Set<String> PER_ANSWER_HEADERS = Set.of("date", "x-request-id", "content-length",
			"transfer-encoding");

	private static final AtomicInteger names = new AtomicInteger();

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
		// a small budget, so that a refusal by it can be compared too
		registry.add("engine-control.budgets.checks-per-second", () -> "1");
		registry.add("engine-control.budgets.checks-burst", () -> "4");
	}

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	EngineControlClient admin;

	@BeforeEach
	void clients() {
		this.admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
	}

	@Test
	void allowedDeniedAndUnknownAreAnsweredTheSame() {
		EngineControlClient engine = register();
		sameAnswer(engine, "{\"platform\":\"gmail\",\"action_type\":\"send_email\"}", 200);
		sameAnswer(register(), "{\"platform\":\"gmail\",\"action_type\":\"read_email\"}", 200);
		sameAnswer(register(), "{\"platform\":\"myspace\",\"action_type\":\"post\",\"min_revision\":0}", 200);
	}

	@Test
	void theOperatorAskingAboutAnEngineIsAnsweredTheSame() {
		EngineControlClient engine = register();
		sameAnswer(this.admin,
				"{\"engine_id\":\"" + engine.engineId() + "\",\"platform\":\"gmail\",\"action_type\":\"send_email\"}",
				200);
	}

	@Test
	void refusalsAfterTheBodyWasReadAreAnsweredTheSame() {
		// Spring MVC's exception handling answers both: the same body, to the order of
		// its
		// fields
		assertThat(register()
			.post("/actions/check",
					"{\"engine_id\":\"someone-else\",\"platform\":\"gmail\",\"action_type\":\"send_email\"}")
			.body()).startsWith("{\"detail\":");
		sameAnswer(register(), "{\"engine_id\":\"someone-else\",\"platform\":\"gmail\",\"action_type\":\"send_email\"}",
				403);
		sameAnswer(register(),
				"{\"platform\":\"gmail\",\"action_type\":\"send_email\",\"min_revision\":" + Long.MAX_VALUE + "}", 400);
		EngineControlClient engine = register();
		String body = "{\"platform\":\"gmail\",\"action_type\":\"send_email\"}";
		for (int i = 0; i < 4; i++) {
			engine.post("/actions/check", body);
		}
		Response fast = engine.post("/actions/check", body);
		Response mvc = engine.withHeader("API-Version", "1").post("/actions/check", body);
		assertThat(fast.status()).as(fast.body()).isEqualTo(429);
		assertThat(fast.header("Retry-After")).isNotNull();
		same(fast, mvc);
	}

	@Test
	void bodiesThePathDoesNotTakeAreAnsweredBySpringMvc() {
		sameAnswer(register(), "{\"platform\":\"Gmail\",\"action_type\":\"send_email\"}", 400);
		sameAnswer(register(), "{\"platform\":\"gmail\",\"action_type\":\"send_email\",\"colour\":\"red\"}", 400);
		sameAnswer(register(), "{\"platform\":\"gmail\",", 400);
		sameAnswer(register(), "{\"platform\":\"gmail\",\"action_type\":null}", 400);
		sameAnswer(register(), "[]", 400);
	}

	@Test
	void aCheckWithoutApiVersionIsTheControllersInSpringMvcToo() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/actions/check");
		request.setContentType("application/json");
		HandlerExecutionChain chain = this.mappings.getHandler(request);
		assertThat(chain).isNotNull();
		assertThat(chain.getHandler()).isInstanceOfSatisfying(HandlerMethod.class, (method) -> {
			assertThat(method.getBeanType().getSimpleName()).isEqualTo("CheckController");
			assertThat(method.getMethod().getName()).isEqualTo("check");
		});
	}

	private void sameAnswer(EngineControlClient engine, String body, int status) {
		Response fast = engine.post("/actions/check", body);
		Response mvc = engine.withHeader("API-Version", "1").post("/actions/check", body);
		assertThat(fast.status()).as(fast.body()).isEqualTo(status);
		same(fast, mvc);
	}

	private static void same(Response fast, Response mvc) {
		assertThat(fast.status()).as(mvc.body()).isEqualTo(mvc.status());
		assertThat(fast.contentType()).isEqualTo(mvc.contentType());
		assertThat(headerNames(fast)).isEqualTo(headerNames(mvc));
		assertThat(fast.header("X-Store-Revision")).isEqualTo(mvc.header("X-Store-Revision"));
		assertThat(fast.header("API-Version")).isEqualTo(mvc.header("API-Version"));
		assertThat(withoutRequestId(fast.json())).isEqualTo(withoutRequestId(mvc.json()));
	}

	private static Set<String> headerNames(Response response) {
		Set<String> names = new TreeSet<>();
		for (String name : response.raw().headers().map().keySet()) {
			names.add(name.toLowerCase(Locale.ROOT));
		}
		names.removeAll(PER_ANSWER_HEADERS);
		return names;
	}

	private static JsonNode withoutRequestId(JsonNode body) {
		if (body instanceof ObjectNode object) {
			object.remove("request_id");
		}
		return body;
	}

	private EngineControlClient register() {
		String engineId = "fast-" + names.incrementAndGet();
		Response registered = this.admin.post("/engines/register",
				"{\"engine_id\":\"" + engineId + "\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		return this.admin.as(engineId, registered.json().get("engine_key").asString());
	}

}
