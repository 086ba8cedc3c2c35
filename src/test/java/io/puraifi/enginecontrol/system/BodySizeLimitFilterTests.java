package io.puraifi.enginecontrol.system;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.BeforeEach;
import io.puraifi.enginecontrol.budget.EngineBudgets;
import org.junit.jupiter.api.Test;

import io.puraifi.enginecontrol.engine.AuthenticationLimits;
import io.puraifi.enginecontrol.engine.Engine;
import io.puraifi.enginecontrol.engine.EngineKeyService;
import io.puraifi.enginecontrol.engine.EngineManagementService;
import io.puraifi.enginecontrol.engine.EngineRegistrationService;
import io.puraifi.enginecontrol.engine.EngineRegistry;
import io.puraifi.enginecontrol.engine.EngineRole;
import io.puraifi.enginecontrol.engine.EngineStatus;
import io.puraifi.enginecontrol.engine.EnrollmentTokens;
import io.puraifi.enginecontrol.eventlog.EngineEvent;
import io.puraifi.enginecontrol.eventlog.EventLevel;
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
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Bodies over 64 KiB get 413 {@code application/problem+json}, whether the client
 * declared the length or streamed the body in chunks.
 */
@WebMvcTest
@Import({ Problems.class, ClockConfiguration.class, AuthenticationLimits.class })
@EnableConfigurationProperties(EngineControlProperties.class)
class BodySizeLimitFilterTests {

	private static final String KEY = "ec_engine-key";

	private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

	@Autowired
	private MockMvc mvc;

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
	void requestWhenDeclaredLengthOverLimitThenPayloadTooLarge() throws Exception {
		this.mvc
			.perform(post("/log/engine_event").header("X-Engine-ID", "action")
				.header("X-Engine-Key", KEY)
				.header("X-Request-ID", "req-413")
				.contentType(MediaType.APPLICATION_JSON)
				.content(eventOfSize(64 * 1024 + 1)))
			.andExpect(status().isPayloadTooLarge())
			.andExpect(header().string("X-Request-ID", "req-413"))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://puraifi.io/problems/engine-control/payload-too-large"))
			.andExpect(jsonPath("$.title").value("Request body too large"))
			.andExpect(jsonPath("$.status").value(413))
			.andExpect(jsonPath("$.request_id").value("req-413"));
		verifyNoInteractions(this.eventLog);
	}

	@Test
	void requestWhenChunkedBodyGrowsOverLimitThenPayloadTooLarge() throws Exception {
		this.mvc
			.perform(new ChunkedRequestBuilder("/log/engine_event").header("X-Engine-ID", "action")
				.header("X-Engine-Key", KEY)
				.header("X-Request-ID", "req-413c")
				.contentType(MediaType.APPLICATION_JSON)
				.content(eventOfSize(64 * 1024 + 1)))
			.andExpect(status().isPayloadTooLarge())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://puraifi.io/problems/engine-control/payload-too-large"))
			.andExpect(jsonPath("$.request_id").value("req-413c"));
		verifyNoInteractions(this.eventLog);
	}

	@Test
	void requestWhenChunkedBodyWithinLimitThenHandled() throws Exception {
		given(this.eventLog.record(eq("action"), anyString(), eq(EventLevel.INFO), eq("big"), anyString(), any(),
				any()))
			.willReturn(new EngineEvent("ev-1", "action", EventLevel.INFO, "big", "x", null, NOW, NOW, "r"));
		// under the limit, though too long a message: validation, not the size limit,
		// answers
		this.mvc
			.perform(new ChunkedRequestBuilder("/log/engine_event").header("X-Engine-ID", "action")
				.header("X-Engine-Key", KEY)
				.contentType(MediaType.APPLICATION_JSON)
				.content(eventOfSize(64 * 1024)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("message"));
		this.mvc
			.perform(new ChunkedRequestBuilder("/log/engine_event").header("X-Engine-ID", "action")
				.header("X-Engine-Key", KEY)
				.contentType(MediaType.APPLICATION_JSON)
				.content(eventOfSize(4000)))
			.andExpect(status().isAccepted());
	}

	/**
	 * An event whose JSON is exactly {@code size} bytes.
	 */
	private static String eventOfSize(int size) {
		String head = "{\"level\":\"info\",\"event_type\":\"big\",\"message\":\"";
		String tail = "\"}";
		return head + "x".repeat(size - head.length() - tail.length()) + tail;
	}

	/**
	 * A request that, like one sent with {@code Transfer-Encoding: chunked}, declares no
	 * length.
	 */
	static final class ChunkedRequestBuilder extends AbstractMockHttpServletRequestBuilder<ChunkedRequestBuilder> {

		ChunkedRequestBuilder(String uri) {
			super(HttpMethod.POST);
			uri(uri);
			header("Transfer-Encoding", "chunked");
		}

		@Override
		protected MockHttpServletRequest createServletRequest(ServletContext servletContext) {
			return new MockHttpServletRequest(servletContext) {

				@Override
				public int getContentLength() {
					return -1;
				}

				@Override
				public long getContentLengthLong() {
					return -1;
				}

			};
		}

	}

}
