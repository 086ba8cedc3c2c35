package io.puraifi.enginecontrol.eventlog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.puraifi.enginecontrol.budget.EngineBudgets;
import io.puraifi.enginecontrol.engine.AuthenticationLimits;
import io.puraifi.enginecontrol.engine.Engine;
import io.puraifi.enginecontrol.engine.EngineRegistry;
import io.puraifi.enginecontrol.engine.EngineRole;
import io.puraifi.enginecontrol.engine.EngineStatus;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.Problems;

import io.puraifi.enginecontrol.propagation.Changes;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The HTTP contract of {@code POST /log/engine_event}: 202 once stored, and the sender is
 * always the authenticated engine.
 */
@WebMvcTest(EventController.class)
@Import({ Problems.class, AuthenticationLimits.class })
@EnableConfigurationProperties(EngineControlProperties.class)
class EventControllerTests {

	private static final String PROBLEMS = "https://puraifi.io/problems/engine-control/";

	private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

	private static final String KEY = "ec_engine-key";

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
	private EventLog eventLog;

	@BeforeEach
	void setUp() {
		given(this.registry.authenticate("action", KEY)).willReturn(Optional
			.of(new Engine("action", null, EngineRole.ENGINE, EngineStatus.ACTIVE, Engine.sorted(Map.of()), NOW, NOW)));
	}

	@Test
	void submitWhenValidThenAcceptedAndRecordedForAuthenticatedEngine() throws Exception {
		Instant occurredAt = Instant.parse("2024-12-31T23:59:00Z");
		given(this.eventLog.record("action", "req-ev", EventLevel.WARN, "email_bounced", "bounced",
				Map.of("to", "a@example.com", "attempt", 2), occurredAt))
			.willReturn(new EngineEvent("ev-1", "action", EventLevel.WARN, "email_bounced", "bounced", "{}", occurredAt,
					NOW, "req-ev"));
		this.mvc.perform(event("""
				{"level":"warn","event_type":"email_bounced","message":"bounced",
				 "attributes":{"to":"a@example.com","attempt":2},"occurred_at":"2024-12-31T23:59:00Z"}
				""").header("X-Request-ID", "req-ev"))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.event_id").value("ev-1"))
			.andExpect(jsonPath("$.received_at").value("2025-01-01T00:00:00Z"));
	}

	@Test
	void submitWhenBodyNamesAnotherEngineThenBadRequestAndNothingRecorded() throws Exception {
		this.mvc.perform(event("{\"engine_id\":\"someone_else\",\"level\":\"info\",\"event_type\":\"started\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-request"))
			.andExpect(jsonPath("$.detail").value(
					"Field 'engine_id' is not a field of this request; the fields are attributes, event_type, level, message, occurred_at"));
		verifyNoInteractions(this.eventLog);
	}

	@Test
	void submitWhenRequiredFieldsMissingThenBadRequestNamingSnakeCaseFields() throws Exception {
		this.mvc.perform(event("{\"message\":\"no level, no type\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[*].field", org.hamcrest.Matchers.containsInAnyOrder("level", "event_type")));
		verifyNoInteractions(this.eventLog);
	}

	@Test
	void submitWhenLevelUnknownThenBadRequest() throws Exception {
		this.mvc.perform(event("{\"level\":\"loud\",\"event_type\":\"started\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-request"))
			.andExpect(jsonPath("$.detail").value("Field 'level' must be one of debug, info, warn, error"));
		verifyNoInteractions(this.eventLog);
	}

	@Test
	void submitWhenNotAuthenticatedThenUnauthorizedAndNothingRecorded() throws Exception {
		this.mvc
			.perform(post("/log/engine_event").contentType(MediaType.APPLICATION_JSON)
				.content("{\"level\":\"info\",\"event_type\":\"started\"}"))
			.andExpect(status().isUnauthorized());
		verifyNoInteractions(this.eventLog);
	}

	@Test
	void submitWhenOccurredAtOmittedThenPassedAsNull() throws Exception {
		given(this.eventLog.record(eq("action"), any(), eq(EventLevel.INFO), eq("started"), eq(null), eq(null),
				eq(null)))
			.willReturn(new EngineEvent("ev-2", "action", EventLevel.INFO, "started", null, null, NOW, NOW, "r"));
		this.mvc.perform(event("{\"level\":\"info\",\"event_type\":\"started\"}"))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.event_id").value("ev-2"));
	}

	private static MockHttpServletRequestBuilder event(String body) {
		return post("/log/engine_event").header("X-Engine-ID", "action")
			.header("X-Engine-Key", KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body);
	}

}
