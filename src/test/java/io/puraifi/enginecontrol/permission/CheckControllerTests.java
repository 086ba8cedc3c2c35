package io.puraifi.enginecontrol.permission;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.puraifi.enginecontrol.budget.EngineBudgets;
import io.puraifi.enginecontrol.engine.AuthenticationLimits;
import io.puraifi.enginecontrol.engine.Engine;
import io.puraifi.enginecontrol.engine.EngineRegistry;
import io.puraifi.enginecontrol.engine.EngineRole;
import io.puraifi.enginecontrol.engine.EngineStatus;
import io.puraifi.enginecontrol.platform.Platform;
import io.puraifi.enginecontrol.platform.PlatformCatalog;
import io.puraifi.enginecontrol.platform.PlatformStatus;
import io.puraifi.enginecontrol.quota.QuotaRules;
import io.puraifi.enginecontrol.settings.FeatureFlags;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.Problems;

import io.puraifi.enginecontrol.propagation.Changes;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The HTTP contract of {@code POST /actions/check}: the real filters, controller and
 * {@link PermissionService} over mocked registry, catalog and flags.
 */
@WebMvcTest(CheckController.class)
@Import({ Problems.class, PermissionService.class, AuthenticationLimits.class })
@EnableConfigurationProperties(EngineControlProperties.class)
class CheckControllerTests {

	private static final String PROBLEMS = "https://puraifi.io/problems/engine-control/";

	private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

	private static final String KEY = "ec_engine-key";

	private static final String ADMIN_KEY = "ec_admin-key";

	@Autowired
	private MockMvc mvc;

	/** Budgets are not enforced here: a mock charges nothing. */
	@MockitoBean
	EngineBudgets budgets;

	@MockitoBean
	Changes changes;

	@MockitoBean
	private EngineRegistry registry;

	@MockitoBean
	private PlatformCatalog catalog;

	@MockitoBean
	private FeatureFlags flags;

	@MockitoBean
	private QuotaRules quotas;

	@MockitoBean
	private DecisionRecorder recorder;

	@MockitoBean
	private DecisionRepository decisions;

	@BeforeEach
	void setUp() {
		Engine action = engine("action", EngineRole.ENGINE, Map.of("gmail", List.of("send_email")));
		Engine admin = engine("admin", EngineRole.ADMIN, Map.of());
		given(this.registry.authenticate("action", KEY)).willReturn(Optional.of(action));
		given(this.registry.authenticate("admin", ADMIN_KEY)).willReturn(Optional.of(admin));
		given(this.registry.find("action")).willReturn(Optional.of(action));
		given(this.registry.find("reader"))
			.willReturn(Optional.of(engine("reader", EngineRole.ENGINE, Map.of("gmail", List.of("read_email")))));
		given(this.catalog.find("gmail")).willReturn(Optional.of(gmail(PlatformStatus.AVAILABLE)));
		given(this.flags.enforced(anyString())).willReturn(Optional.empty());
	}

	@Test
	void checkWhenAllowedThenSnakeCaseBodyWithRequiredScopes() throws Exception {
		this.mvc.perform(check("{\"engine_id\":\"action\",\"platform\":\"gmail\",\"action_type\":\"send_email\"}"))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.allowed").value(true))
			.andExpect(jsonPath("$.reason").value("ALLOWED"))
			.andExpect(jsonPath("$.required_scopes", contains("mail.send")))
			.andExpect(jsonPath("$.engine_id").value("action"))
			.andExpect(jsonPath("$.platform").value("gmail"))
			.andExpect(jsonPath("$.action_type").value("send_email"))
			.andExpect(jsonPath("$.platform_status").value("available"))
			.andExpect(jsonPath("$.requiredScopes").doesNotExist())
			.andExpect(jsonPath("$.actionType").doesNotExist())
			.andExpect(jsonPath("$.flag").doesNotExist());
	}

	@Test
	void checkWhenEngineIdOmittedThenCheckedForCaller() throws Exception {
		this.mvc.perform(check("{\"platform\":\"gmail\",\"action_type\":\"send_email\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.allowed").value(true))
			.andExpect(jsonPath("$.engine_id").value("action"));
	}

	@Test
	void checkWhenPlatformInMaintenanceThenDeniedWithOkStatus() throws Exception {
		given(this.catalog.find("gmail")).willReturn(Optional.of(gmail(PlatformStatus.MAINTENANCE)));
		this.mvc.perform(check("{\"platform\":\"gmail\",\"action_type\":\"send_email\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.allowed").value(false))
			.andExpect(jsonPath("$.reason").value("PLATFORM_MAINTENANCE"))
			.andExpect(jsonPath("$.message").isNotEmpty())
			.andExpect(jsonPath("$.required_scopes", empty()))
			.andExpect(jsonPath("$.platform_status").value("maintenance"));
	}

	@Test
	void checkWhenKillSwitchOffThenDeniedNamingFlag() throws Exception {
		given(this.flags.enforced("action.gmail.send_email")).willReturn(Optional.of(false));
		this.mvc.perform(check("{\"platform\":\"gmail\",\"action_type\":\"send_email\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.allowed").value(false))
			.andExpect(jsonPath("$.reason").value("FLAG_DISABLED"))
			.andExpect(jsonPath("$.flag").value("action.gmail.send_email"));
	}

	@Test
	void checkWhenNonAdminSendsAnotherEngineIdThenForbidden() throws Exception {
		this.mvc.perform(check("{\"engine_id\":\"reader\",\"platform\":\"gmail\",\"action_type\":\"read_email\"}"))
			.andExpect(status().isForbidden())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "forbidden"))
			.andExpect(jsonPath("$.request_id").isNotEmpty());
		verify(this.registry, never()).find("reader");
	}

	@Test
	void checkWhenAdminAsksAboutAnotherEngineThenDecidedForThatEngine() throws Exception {
		this.mvc
			.perform(post("/actions/check").header("X-Engine-ID", "admin")
				.header("X-Engine-Key", ADMIN_KEY)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"engine_id\":\"reader\",\"platform\":\"gmail\",\"action_type\":\"send_email\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.engine_id").value("reader"))
			.andExpect(jsonPath("$.reason").value("ACTION_NOT_GRANTED"));
	}

	@Test
	void checkWhenActionTypeMissingThenBadRequestNamingSnakeCaseField() throws Exception {
		this.mvc.perform(check("{\"platform\":\"gmail\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-request"))
			.andExpect(jsonPath("$.errors[*].field", contains("action_type")))
			.andExpect(jsonPath("$.errors[0].message").isNotEmpty())
			.andExpect(jsonPath("$.request_id").isNotEmpty());
	}

	@Test
	void checkWhenFieldsMalformedThenOneErrorPerSnakeCaseField() throws Exception {
		this.mvc.perform(check("{\"engine_id\":\"X\",\"platform\":\"Gmail!\",\"action_type\":\"send email\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[*].field", hasItem("engine_id")))
			.andExpect(jsonPath("$.errors[*].field", hasItem("platform")))
			.andExpect(jsonPath("$.errors[*].field", hasItem("action_type")))
			.andExpect(jsonPath("$.errors.length()").value(3));
	}

	@Test
	void checkWhenJsonMalformedThenBadRequest() throws Exception {
		this.mvc.perform(check("{\"platform\":\"gmail\","))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-request"))
			.andExpect(jsonPath("$.detail").value(containsString("not valid JSON")));
	}

	@Test
	void checkWhenBodyMissingThenBadRequest() throws Exception {
		this.mvc.perform(check(""))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-request"));
	}

	@Test
	void checkWhenUnknownFieldThenBadRequestNamingIt() throws Exception {
		this.mvc.perform(check("{\"platform\":\"gmail\",\"action_type\":\"send_email\",\"urgent\":true}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-request"))
			.andExpect(jsonPath("$.detail").value(containsString("Field 'urgent' is not a field of this request")))
			.andExpect(jsonPath("$.errors[0].field").value("urgent"));
	}

	@Test
	void checkWhenFieldHasWrongTypeThenBadRequestNamingIt() throws Exception {
		this.mvc.perform(check("{\"platform\":{\"name\":\"gmail\"},\"action_type\":\"send_email\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-request"))
			.andExpect(jsonPath("$.detail").value("Field 'platform' must be a string"))
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.not(containsString("tools.jackson"))));
	}

	@Test
	void checkWhenNotJsonThenUnsupportedMediaType() throws Exception {
		this.mvc
			.perform(authenticated(post("/actions/check")).contentType(MediaType.TEXT_PLAIN)
				.content("platform=gmail&action_type=send_email"))
			.andExpect(status().isUnsupportedMediaType())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "unsupported-media-type"))
			.andExpect(jsonPath("$.request_id").isNotEmpty());
	}

	@Test
	void checkWhenWrongMethodThenMethodNotAllowed() throws Exception {
		this.mvc.perform(authenticated(get("/actions/check")))
			.andExpect(status().isMethodNotAllowed())
			.andExpect(header().string("Allow", containsString("POST")))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "method-not-allowed"))
			.andExpect(jsonPath("$.request_id").isNotEmpty());
	}

	@Test
	void checkWhenSaneRequestIdSentThenEchoed() throws Exception {
		this.mvc
			.perform(check("{\"platform\":\"gmail\",\"action_type\":\"send_email\"}").header("X-Request-ID",
					"trace-7.a_b"))
			.andExpect(status().isOk())
			.andExpect(header().string("X-Request-ID", "trace-7.a_b"));
	}

	@Test
	void checkWhenInvalidThenErrorBodyCarriesEchoedRequestId() throws Exception {
		this.mvc.perform(check("{}").header("X-Request-ID", "trace-8"))
			.andExpect(status().isBadRequest())
			.andExpect(header().string("X-Request-ID", "trace-8"))
			.andExpect(jsonPath("$.request_id").value("trace-8"));
	}

	private static MockHttpServletRequestBuilder check(String body) {
		return authenticated(post("/actions/check")).contentType(MediaType.APPLICATION_JSON).content(body);
	}

	private static MockHttpServletRequestBuilder authenticated(MockHttpServletRequestBuilder request) {
		return request.header("X-Engine-ID", "action").header("X-Engine-Key", KEY);
	}

	private static Engine engine(String id, EngineRole role, Map<String, List<String>> capabilities) {
		return new Engine(id, null, role, EngineStatus.ACTIVE, Engine.sorted(capabilities), NOW, NOW);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class FixedClock {

		@Bean
		Clock clock() {
			return Clock.fixed(NOW, ZoneOffset.UTC);
		}

	}

	private static Platform gmail(PlatformStatus status) {
		return new Platform("gmail", "Gmail", "v1", status, null,
				new TreeMap<>(Map.of("send_email", List.of("mail.send"), "read_email", List.of("mail.read"))), NOW);
	}

}
