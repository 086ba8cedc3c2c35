package io.puraifi.enginecontrol.system;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.puraifi.enginecontrol.budget.EngineBudgets;
import io.puraifi.enginecontrol.engine.AuthenticationLimits;
import io.puraifi.enginecontrol.engine.Engine;
import io.puraifi.enginecontrol.engine.EngineKeyService;
import io.puraifi.enginecontrol.engine.EngineManagementService;
import io.puraifi.enginecontrol.engine.EngineRegistrationService;
import io.puraifi.enginecontrol.engine.EngineRegistry;
import io.puraifi.enginecontrol.engine.EngineRole;
import io.puraifi.enginecontrol.engine.EngineStatus;
import io.puraifi.enginecontrol.engine.EnrollmentTokens;
import io.puraifi.enginecontrol.eventlog.EventLog;
import io.puraifi.enginecontrol.permission.PermissionService;
import io.puraifi.enginecontrol.platform.PlatformCatalog;
import io.puraifi.enginecontrol.quota.QuotaRules;
import io.puraifi.enginecontrol.settings.FeatureFlags;

import io.puraifi.enginecontrol.audit.AuditTrail;
import io.puraifi.enginecontrol.propagation.Changes;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Framework errors outside any one controller answer with problem bodies of a stable
 * type, over every controller of the application.
 */
@WebMvcTest
@Import({ Problems.class, ClockConfiguration.class, AuthenticationLimits.class })
@EnableConfigurationProperties(EngineControlProperties.class)
class ApiExceptionHandlerTests {

	private static final String PROBLEMS = "https://puraifi.io/problems/engine-control/";

	private static final String KEY = "ec_engine-key";

	private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

	@Autowired
	private MockMvc mvc;

	/** Budgets are not enforced here: a mock charges nothing. */
	@MockitoBean
	EngineBudgets budgets;

	@MockitoBean
	AuditTrail audit;

	@MockitoBean
	Changes changes;

	@MockitoBean
	private EngineRegistry registry;

	@MockitoBean
	private EngineRegistrationService registrations;

	@MockitoBean
	private EngineManagementService management;

	@MockitoBean
	private EngineKeyService keys;

	@MockitoBean
	private EnrollmentTokens enrollmentTokens;

	@MockitoBean
	private EventLog eventLog;

	@MockitoBean
	private PermissionService permissionService;

	@MockitoBean
	private PlatformCatalog catalog;

	@MockitoBean
	private FeatureFlags flags;

	@MockitoBean
	private QuotaRules quotas;

	@BeforeEach
	void setUp() {
		given(this.registry.authenticate("action", KEY)).willReturn(Optional
			.of(new Engine("action", null, EngineRole.ENGINE, EngineStatus.ACTIVE, Engine.sorted(Map.of()), NOW, NOW)));
	}

	@Test
	void notAcceptableNamesTheTypesTheEndpointAnswersInAsTheyAre() {
		assertThat(ApiExceptionHandler
			.notAcceptableDetail(List.of(MediaType.APPLICATION_JSON, MediaType.parseMediaType("application/*+json"))))
			.isEqualTo("This endpoint answers only in application/json, application/*+json; "
					+ "send Accept: application/json, or no Accept");
	}

	@Test
	void requestWhenUnknownPathThenNotFoundProblem() throws Exception {
		this.mvc
			.perform(get("/no/such/endpoint").header("X-Engine-ID", "action")
				.header("X-Engine-Key", KEY)
				.header("X-Request-ID", "req-404"))
			.andExpect(status().isNotFound())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "not-found"))
			.andExpect(jsonPath("$.title").value("Not found"))
			.andExpect(jsonPath("$.status").value(404))
			.andExpect(jsonPath("$.detail").value("No endpoint GET /no/such/endpoint"))
			.andExpect(jsonPath("$.request_id").value("req-404"));
	}

	@Test
	void requestWhenUnknownPathWithoutCredentialsThenUnauthorizedFirst() throws Exception {
		this.mvc.perform(get("/no/such/endpoint"))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.type").value(PROBLEMS + "unauthenticated"));
	}

	@Test
	void requestWhenWrongMethodOnAnyEndpointThenMethodNotAllowedProblem() throws Exception {
		this.mvc.perform(delete("/platforms/list").header("X-Engine-ID", "action").header("X-Engine-Key", KEY))
			.andExpect(status().isMethodNotAllowed())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "method-not-allowed"))
			.andExpect(jsonPath("$.detail").value(not(containsString("Exception"))));
	}

	@Test
	void requestWhenHandlerFailsUnexpectedlyThenInternalErrorWithoutInternals() throws Exception {
		given(this.catalog.all()).willThrow(new IllegalStateException("secret internal detail"));
		this.mvc.perform(get("/platforms/list").header("X-Engine-ID", "action").header("X-Engine-Key", KEY))
			.andExpect(status().isInternalServerError())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "internal-error"))
			.andExpect(content().string(not(containsString("secret internal detail"))))
			.andExpect(content().string(not(containsString("IllegalStateException"))));
	}

}
