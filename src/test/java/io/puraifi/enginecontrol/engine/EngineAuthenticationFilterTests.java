package io.puraifi.enginecontrol.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import io.puraifi.enginecontrol.budget.EngineBudgets;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.Problems;

import io.puraifi.enginecontrol.propagation.Changes;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Who gets in: 401 for missing or wrong credentials, 403 for suspended engines and for
 * engines on operator endpoints, 429 for wrong credentials past the failure limits (a
 * right key still gets in), through the real filters and {@link EngineController}. Each
 * test that fails on purpose does so from its own client address: the limits live as long
 * as the context.
 */
@WebMvcTest(EngineController.class)
@Import({ Problems.class, AuthenticationLimits.class })
@EnableConfigurationProperties(EngineControlProperties.class)
class EngineAuthenticationFilterTests {

	private static final String PROBLEMS = "https://puraifi.io/problems/engine-control/";

	private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

	private static final String KEY = EngineKeys.generate();

	private static final String ADMIN_KEY = EngineKeys.generate();

	private static final String VALIDATE_BODY = "{\"engine_id\":\"other\",\"engine_key\":\"ec_x\"}";

	private static final String REGISTER_BODY = "{\"engine_id\":\"newbie\",\"capabilities\":{\"gmail\":[\"send_email\"]}}";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper jsonMapper;

	/** Budgets are not enforced here: a mock charges nothing. */
	@MockitoBean
	EngineBudgets budgets;

	@MockitoBean
	Changes changes;

	@MockitoBean
	private EngineRegistry registry;

	@MockitoBean
	private EngineRegistrationService registrations;

	@MockitoBean
	private EngineManagementService management;

	private final Engine action = engine("action", EngineRole.ENGINE, EngineStatus.ACTIVE);

	@BeforeEach
	void setUp() {
		given(this.registry.authenticate("action", KEY)).willReturn(Optional.of(this.action));
		given(this.registry.authenticate("admin", ADMIN_KEY))
			.willReturn(Optional.of(engine("admin", EngineRole.ADMIN, EngineStatus.ACTIVE)));
		given(this.registry.find("action")).willReturn(Optional.of(this.action));
	}

	@Test
	void requestWhenValidCredentialsThenHandled() throws Exception {
		this.mvc.perform(as("action", KEY, validate()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.valid").value(false));
	}

	@Test
	void principalCarriesTheSlotTheRegistryHoldsForTheEngine() throws Exception {
		EngineSlot slot = new EngineSlot();
		given(this.registry.slot("action")).willReturn(slot);
		this.mvc.perform(as("action", KEY, validate()))
			.andExpect(status().isOk())
			.andExpect(MockMvcResultMatchers.request()
				.attribute(AuthenticatedEngine.ATTRIBUTE, new AuthenticatedEngine("action", EngineRole.ENGINE, slot)));
	}

	@ParameterizedTest
	@CsvSource(nullValues = "null", value = { "null, null", "action, null", "null, key", "'', ''", "action, ''" })
	void requestWhenCredentialsMissingThenUnauthorizedProblem(String engineId, String key) throws Exception {
		MockHttpServletRequestBuilder request = validate().header("X-Request-ID", "req-401");
		if (engineId != null) {
			request.header("X-Engine-ID", engineId);
		}
		if (key != null) {
			request.header("X-Engine-Key", key);
		}
		this.mvc.perform(request)
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", "EngineKey realm=\"engine-control\""))
			.andExpect(header().string("X-Request-ID", "req-401"))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "unauthenticated"))
			.andExpect(jsonPath("$.title").value("Authentication required"))
			.andExpect(jsonPath("$.status").value(401))
			.andExpect(jsonPath("$.detail").isNotEmpty())
			.andExpect(jsonPath("$.request_id").value("req-401"));
		verify(this.registrations, never()).register(anyString(), any(), any());
	}

	@Test
	void requestWhenConsoleFileThenNoCredentialsNeededButLookalikePathsStillNeedThem() throws Exception {
		this.mvc.perform(get("/console/console.js")).andExpect(status().isOk());
		this.mvc.perform(get("/consoles")).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/console-admin/flags")).andExpect(status().isUnauthorized());
	}

	@Test
	void requestWhenKeyWrongThenUnauthorizedProblem() throws Exception {
		this.mvc.perform(as("action", EngineKeys.generate(), validate()).header("X-Request-ID", "req-wrong"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", "EngineKey realm=\"engine-control\""))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "unauthenticated"))
			.andExpect(jsonPath("$.title").value("Authentication required"))
			.andExpect(jsonPath("$.request_id").value("req-wrong"));
	}

	@Test
	void requestWhenUnknownEngineOrWrongKeyThenIdenticalAnswers() throws Exception {
		MockHttpServletResponse unknownEngine = this.mvc.perform(as("ghost", KEY, validate()))
			.andReturn()
			.getResponse();
		MockHttpServletResponse wrongKey = this.mvc.perform(as("action", EngineKeys.generate(), validate()))
			.andReturn()
			.getResponse();
		assertThat(unknownEngine.getStatus()).isEqualTo(401).isEqualTo(wrongKey.getStatus());
		assertThat(unknownEngine.getHeader("WWW-Authenticate")).isEqualTo(wrongKey.getHeader("WWW-Authenticate"));
		assertThat(unknownEngine.getContentType()).isEqualTo(wrongKey.getContentType());
		Map<String, Object> unknownBody = bodyWithoutRequestId(unknownEngine);
		Map<String, Object> wrongKeyBody = bodyWithoutRequestId(wrongKey);
		assertThat(unknownBody).isEqualTo(wrongKeyBody).containsKey("detail");
		assertThat(unknownBody.toString()).doesNotContain("ghost").doesNotContain("action");
	}

	@Test
	void requestWhenEngineIdMalformedOrKeyTooLongThenUnauthorizedWithoutLookup() throws Exception {
		this.mvc.perform(as("Not An Id", KEY, validate())).andExpect(status().isUnauthorized());
		this.mvc.perform(as("action", "k".repeat(257), validate())).andExpect(status().isUnauthorized());
		verify(this.registry, never()).authenticate(any(), any());
	}

	@Test
	void requestWhenEngineSuspendedThenForbiddenProblem() throws Exception {
		String key = EngineKeys.generate();
		given(this.registry.authenticate("sleeper", key))
			.willReturn(Optional.of(engine("sleeper", EngineRole.ENGINE, EngineStatus.SUSPENDED)));
		this.mvc.perform(as("sleeper", key, validate()).header("X-Request-ID", "req-403"))
			.andExpect(status().isForbidden())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "engine-suspended"))
			.andExpect(jsonPath("$.title").value("Engine suspended"))
			.andExpect(jsonPath("$.request_id").value("req-403"))
			.andExpect(header().doesNotExist("WWW-Authenticate"));
	}

	@Test
	void requestWhenEngineRevokedThenItsOwnForbiddenProblem() throws Exception {
		String key = EngineKeys.generate();
		given(this.registry.authenticate("gone", key))
			.willReturn(Optional.of(engine("gone", EngineRole.ENGINE, EngineStatus.REVOKED)));
		this.mvc.perform(as("gone", key, validate()))
			.andExpect(status().isForbidden())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "engine-revoked"))
			.andExpect(jsonPath("$.title").value("Engine revoked"));
	}

	@Test
	void registerWithEnrollmentTokenAndNoEngineHeadersThenReachesEnrollment() throws Exception {
		String token = EngineKeys.generateEnrollmentToken();
		Engine newbie = new Engine("newbie", null, EngineRole.ENGINE, EngineStatus.ACTIVE,
				Engine.sorted(Map.of("gmail", List.of("send_email"))), NOW, NOW);
		given(this.registrations.enroll(token, "newbie", null, Map.of("gmail", List.of("send_email"))))
			.willReturn(new EngineRegistrationService.Enrollment(newbie, KEY, Engine.sorted(Map.of())));
		this.mvc
			.perform(post("/engines/register").header("X-Enrollment-Token", token)
				.contentType(MediaType.APPLICATION_JSON)
				.content(REGISTER_BODY))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.engine_key").value(KEY))
			.andExpect(jsonPath("$.not_granted").isEmpty());
	}

	@Test
	void enrollmentTokenOpensNoOtherPath() throws Exception {
		String token = EngineKeys.generateEnrollmentToken();
		this.mvc.perform(validate().header("X-Enrollment-Token", token)).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/admin/engines/action").header("X-Enrollment-Token", token))
			.andExpect(status().isUnauthorized());
		verify(this.registrations, never()).enroll(any(), any(), any(), any());
	}

	@Test
	void registerWithEnrollmentTokenAndEngineHeadersStaysOperatorOnly() throws Exception {
		this.mvc
			.perform(as("action", KEY, post("/engines/register"))
				.header("X-Enrollment-Token", EngineKeys.generateEnrollmentToken())
				.contentType(MediaType.APPLICATION_JSON)
				.content(REGISTER_BODY))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.type").value(PROBLEMS + "forbidden"));
		verify(this.registrations, never()).enroll(any(), any(), any(), any());
	}

	@Test
	void adminEndpointWhenEngineNotAdminThenForbiddenProblem() throws Exception {
		this.mvc.perform(as("action", KEY, get("/admin/engines/action")))
			.andExpect(status().isForbidden())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "forbidden"))
			.andExpect(jsonPath("$.request_id").isNotEmpty());
		this.mvc
			.perform(as("action", KEY, put("/admin/platforms/gmail/status")).contentType(MediaType.APPLICATION_JSON)
				.content("{\"status\":\"maintenance\"}"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.type").value(PROBLEMS + "forbidden"));
		this.mvc.perform(as("action", KEY, post("/admin/engines/action/suspend"))).andExpect(status().isForbidden());
		verify(this.registry, never()).find("action");
		verify(this.management, never()).setStatus(any(), any());
	}

	@Test
	void adminEndpointWhenAdminThenHandled() throws Exception {
		this.mvc.perform(as("admin", ADMIN_KEY, get("/admin/engines/action")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.engine_id").value("action"))
			.andExpect(jsonPath("$.status").value("active"));
	}

	@Test
	void registerWhenEngineNotAdminThenForbiddenProblem() throws Exception {
		this.mvc
			.perform(as("action", KEY, post("/engines/register")).contentType(MediaType.APPLICATION_JSON)
				.content(REGISTER_BODY))
			.andExpect(status().isForbidden())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "forbidden"))
			.andExpect(jsonPath("$.request_id").isNotEmpty());
		verify(this.registrations, never()).register(anyString(), any(), any());
	}

	@Test
	void registerWhenAdminThenCreatedWithKeyShownOnce() throws Exception {
		String newKey = EngineKeys.generate();
		Engine newbie = new Engine("newbie", null, EngineRole.ENGINE, EngineStatus.ACTIVE,
				Engine.sorted(Map.of("gmail", List.of("send_email"))), NOW, NOW);
		given(this.registrations.register("newbie", null, Map.of("gmail", List.of("send_email"))))
			.willReturn(new EngineRegistrationService.Registration(newbie, newKey));
		this.mvc
			.perform(as("admin", ADMIN_KEY, post("/engines/register")).contentType(MediaType.APPLICATION_JSON)
				.content(REGISTER_BODY))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", "/admin/engines/newbie"))
			.andExpect(jsonPath("$.engine_id").value("newbie"))
			.andExpect(jsonPath("$.engine_key").value(newKey))
			.andExpect(jsonPath("$.capabilities.gmail[0]").value("send_email"))
			.andExpect(jsonPath("$.created_at").value("2025-01-01T00:00:00Z"));
	}

	@Test
	void registerWhenEngineIdInvalidThenBadRequestNamingSnakeCaseField() throws Exception {
		this.mvc
			.perform(as("admin", ADMIN_KEY, post("/engines/register")).contentType(MediaType.APPLICATION_JSON)
				.content("{\"engine_id\":\"Bad Id\",\"capabilities\":{}}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-request"))
			.andExpect(jsonPath("$.errors[0].field").value("engine_id"));
		verify(this.registrations, never()).register(anyString(), any(), any());
	}

	@Test
	void requestWhenAddressUsedUpItsFailuresThenRightKeysStillGetInAndWrongOnesGet429() throws Exception {
		given(this.registry.isCached("action")).willReturn(true);
		given(this.registry.isCached("admin")).willReturn(true);
		String wrong = EngineKeys.generate();
		for (int i = 0; i < 10; i++) {
			this.mvc.perform(from("10.20.0.1", as("action", wrong, validate()))).andExpect(status().isUnauthorized());
		}
		this.mvc.perform(from("10.20.0.1", as("action", wrong, validate())))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().exists("Retry-After"))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "too-many-requests"));
		this.mvc.perform(from("10.20.0.1", as("action", KEY, validate()))).andExpect(status().isOk());
		this.mvc.perform(from("10.20.0.1", as("admin", ADMIN_KEY, get("/admin/engines/action"))))
			.andExpect(status().isOk());
		this.mvc.perform(from("10.20.0.1", as("admin", EngineKeys.generate(), get("/admin/engines/action"))))
			.andExpect(status().isTooManyRequests());
	}

	@Test
	void requestWhenAddressUsedUpItsFailuresThenAnUncachedEngineIsStillLookedUp() throws Exception {
		String third = EngineKeys.generate();
		given(this.registry.authenticate("third", third))
			.willReturn(Optional.of(engine("third", EngineRole.ENGINE, EngineStatus.ACTIVE)));
		for (int i = 0; i < 10; i++) {
			this.mvc.perform(from("10.20.0.2", as("action", EngineKeys.generate(), validate())))
				.andExpect(status().isUnauthorized());
		}
		this.mvc.perform(from("10.20.0.2", as("third", third, validate()))).andExpect(status().isOk());
	}

	@Test
	void requestWhenAddressUsedUpItsLookupsOfUnknownIdsThenUncachedIdsGet429WithoutLookup() throws Exception {
		given(this.registry.isKnownUnknown(anyString())).willReturn(true);
		for (int i = 0; i < 10; i++) {
			this.mvc.perform(from("10.20.0.3", as("ghost-" + i, KEY, validate()))).andExpect(status().isUnauthorized());
		}
		this.mvc.perform(from("10.20.0.3", as("ghost-10", KEY, validate())))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().exists("Retry-After"));
		verify(this.registry, never()).authenticate(eq("ghost-10"), any());
		given(this.registry.isCached("action")).willReturn(true);
		this.mvc.perform(from("10.20.0.3", as("action", KEY, validate()))).andExpect(status().isOk());
	}

	@Test
	void requestWhenNoProxyIsTrustedThenForwardedForIsIgnored() throws Exception {
		for (int i = 0; i < 10; i++) {
			this.mvc.perform(from("10.20.0.4", as("ghost", KEY, validate())).header("X-Forwarded-For", "192.0.2." + i))
				.andExpect(status().isUnauthorized());
		}
		this.mvc.perform(from("10.20.0.4", as("ghost", KEY, validate())).header("X-Forwarded-For", "198.51.100.1"))
			.andExpect(status().isTooManyRequests());
	}

	@Test
	void actuatorIndexAndInfoAreForTheOperatorOnly() throws Exception {
		for (String path : List.of("/actuator", "/actuator/info")) {
			this.mvc.perform(get(path)).andExpect(status().isUnauthorized());
			this.mvc.perform(as("action", KEY, get(path)))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.type").value(PROBLEMS + "forbidden"));
		}
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> bodyWithoutRequestId(MockHttpServletResponse response) throws Exception {
		Map<String, Object> body = this.jsonMapper.readValue(response.getContentAsString(), Map.class);
		assertThat(body).containsKey("request_id");
		body.remove("request_id");
		return body;
	}

	private static MockHttpServletRequestBuilder validate() {
		return post("/engines/validate").contentType(MediaType.APPLICATION_JSON).content(VALIDATE_BODY);
	}

	private static MockHttpServletRequestBuilder from(String address, MockHttpServletRequestBuilder request) {
		return request.with((built) -> {
			built.setRemoteAddr(address);
			return built;
		});
	}

	private static MockHttpServletRequestBuilder as(String engineId, String key,
			MockHttpServletRequestBuilder request) {
		return request.header("X-Engine-ID", engineId).header("X-Engine-Key", key);
	}

	private static Engine engine(String id, EngineRole role, EngineStatus status) {
		return new Engine(id, null, role, status, Engine.sorted(Map.of("gmail", List.of("send_email"))), NOW, NOW);
	}

}
