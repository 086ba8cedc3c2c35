package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.puraifi.enginecontrol.client.ApiClient;
import io.puraifi.enginecontrol.client.ApiException;
import io.puraifi.enginecontrol.client.api.EngineControlApi;
import io.puraifi.enginecontrol.client.api.EngineControlApi.APICheckRequest;
import io.puraifi.enginecontrol.client.api.EngineControlApi.APIPutQuotaRequest;
import io.puraifi.enginecontrol.client.api.EngineControlApi.APIScheduleMaintenanceWindowRequest;
import io.puraifi.enginecontrol.client.api.EngineControlApi.APIDeleteEngineRequest;
import io.puraifi.enginecontrol.client.api.EngineControlApi.APIGetGlobalConfigRequest;
import io.puraifi.enginecontrol.client.api.EngineControlApi.APIListPlatformsRequest;
import io.puraifi.enginecontrol.client.api.EngineControlApi.APILogEventRequest;
import io.puraifi.enginecontrol.client.api.EngineControlApi.APILogEventsRequest;
import io.puraifi.enginecontrol.client.api.EngineControlApi.APIRegisterRequest;
import io.puraifi.enginecontrol.client.api.EngineControlApi.APIValidateRequest;
import io.puraifi.enginecontrol.client.model.ActionResponse;
import io.puraifi.enginecontrol.client.model.CheckRequest;
import io.puraifi.enginecontrol.client.model.CheckResponse;
import io.puraifi.enginecontrol.client.model.EventBatchRequest;
import io.puraifi.enginecontrol.client.model.EventBatchResponse;
import io.puraifi.enginecontrol.client.model.EventRequest;
import io.puraifi.enginecontrol.client.model.EventResponse;
import io.puraifi.enginecontrol.client.model.FieldError;
import io.puraifi.enginecontrol.client.model.GlobalConfigResponse;
import io.puraifi.enginecontrol.client.model.PlatformListResponse;
import io.puraifi.enginecontrol.client.model.PlatformResponse;
import io.puraifi.enginecontrol.client.model.LimitInput;
import io.puraifi.enginecontrol.client.model.MaintenanceWindowRequest;
import io.puraifi.enginecontrol.client.model.ProblemDetail;
import io.puraifi.enginecontrol.client.model.QuotaRuleInput;
import io.puraifi.enginecontrol.client.model.RegisterRequest;
import io.puraifi.enginecontrol.client.model.RegisterResponse;
import io.puraifi.enginecontrol.client.model.ValidateRequest;
import io.puraifi.enginecontrol.client.model.ValidateResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The seed's flows through the Java client generated from the committed contract,
 * {@code src/test/resources/openapi.json} (see {@link OpenApiContractIntegrationTests}),
 * against the whole application on a random port over real HTTP: a client built from the
 * description alone can do an engine's work. The client is generated during the build
 * into {@code target/generated-test-sources/openapi}; its method and request names come
 * from the operationIds, its model names from the schema names.
 * <p>
 * The client reads answers strictly (an unknown field fails), so a field the service
 * sends that the description lacks fails here too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GeneratedClientIntegrationTests {

	static final String ADMIN_KEY = "operator-key-for-client-tests-0123456789abcdefghij";

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

	EngineControlApi operator;

	@BeforeEach
	void operator() {
		this.operator = api("admin", ADMIN_KEY);
	}

	@Test
	void operatorRegistersAnEngineWithItsCapabilities() throws ApiException {
		String engineId = newEngineId();
		RegisterResponse registered = register(engineId,
				Map.of("gmail", List.of("send_email"), "slack", List.of("post_message")));
		assertThat(registered.getEngineId()).isEqualTo(engineId);
		assertThat(registered.getEngineKey()).startsWith("ec_");
		assertThat(registered.getCapabilities()).containsOnlyKeys("gmail", "slack");
		assertThat(registered.getCapabilities().get("gmail")).containsExactly("send_email");
		assertThat(registered.getCreatedAt()).isBefore(OffsetDateTime.now().plusMinutes(1));
	}

	@Test
	void operatorDeletesAnEngineThatThenCannotAuthenticate() throws ApiException {
		String engineId = newEngineId();
		EngineControlApi engine = api(engineId,
				register(engineId, Map.of("gmail", List.of("send_email"))).getEngineKey());
		this.operator.deleteEngine(APIDeleteEngineRequest.newBuilder().engineId(engineId).build());
		assertThatThrownBy(() -> engine
			.check(APICheckRequest.newBuilder().checkRequest(check(engineId, "gmail", "send_email")).build()))
			.isInstanceOfSatisfying(ApiException.class, (ex) -> assertThat(ex.getCode()).isEqualTo(401));
	}

	@Test
	void engineChecksAnAllowedAndADeniedAction() throws ApiException {
		String engineId = newEngineId();
		EngineControlApi engine = api(engineId,
				register(engineId, Map.of("gmail", List.of("send_email"))).getEngineKey());

		CheckResponse allowed = engine
			.check(APICheckRequest.newBuilder().checkRequest(check(engineId, "gmail", "send_email")).build());
		assertThat(allowed.getAllowed()).isTrue();
		assertThat(allowed.getReason()).isEqualTo(CheckResponse.ReasonEnum.ALLOWED);
		assertThat(allowed.getRequiredScopes()).containsExactly("mail.send");
		assertThat(allowed.getEngineId()).isEqualTo(engineId);
		assertThat(allowed.getPlatform()).isEqualTo("gmail");
		assertThat(allowed.getActionType()).isEqualTo("send_email");
		assertThat(allowed.getPlatformStatus()).isEqualTo(CheckResponse.PlatformStatusEnum.AVAILABLE);
		assertThat(allowed.getRevision()).isNotNull();

		CheckResponse denied = engine
			.check(APICheckRequest.newBuilder().checkRequest(check(engineId, "gmail", "read_email")).build());
		assertThat(denied.getAllowed()).isFalse();
		assertThat(denied.getReason()).isEqualTo(CheckResponse.ReasonEnum.ACTION_NOT_GRANTED);
		assertThat(denied.getRequiredScopes()).isEmpty();
		assertThat(denied.getMessage()).isNotBlank();
		assertThat(denied.getActionType()).isEqualTo("read_email");
	}

	@Test
	void engineReadsAQuotaDenialWithItsRetryAfterInSeconds() throws ApiException {
		String engineId = newEngineId();
		EngineControlApi engine = api(engineId,
				register(engineId, Map.of("gmail", List.of("send_email"))).getEngineKey());
		this.operator.putQuota(APIPutQuotaRequest.newBuilder()
			.name(engineId + "-email")
			.quotaRuleInput(new QuotaRuleInput().engineId(engineId)
				.platform("gmail")
				.actionType("send_email")
				.limits(List.of(new LimitInput().max(1L).per("PT1H"))))
			.build());
		assertThat(
				engine.check(APICheckRequest.newBuilder().checkRequest(check(engineId, "gmail", "send_email")).build())
					.getAllowed())
			.isTrue();

		CheckResponse denied = engine
			.check(APICheckRequest.newBuilder().checkRequest(check(engineId, "gmail", "send_email")).build());
		assertThat(denied.getReason()).isEqualTo(CheckResponse.ReasonEnum.QUOTA_EXCEEDED);
		assertThat(denied.getQuota()).isEqualTo(engineId + "-email");
		assertThat(denied.getRetryAfter().getActualInstance()).isInstanceOfSatisfying(Long.class,
				(seconds) -> assertThat(seconds).isBetween(1L, 3600L));
	}

	@Test
	void engineReadsAMaintenanceDenialWithItsRetryAfterAsATime() throws ApiException {
		String engineId = newEngineId();
		EngineControlApi engine = api(engineId,
				register(engineId, Map.of("notion", List.of("create_page"))).getEngineKey());
		OffsetDateTime endsAt = OffsetDateTime.now().plusHours(1);
		this.operator.scheduleMaintenanceWindow(APIScheduleMaintenanceWindowRequest.newBuilder()
			.platform("notion")
			.maintenanceWindowRequest(new MaintenanceWindowRequest().startsAt(OffsetDateTime.now().minusMinutes(1))
				.endsAt(endsAt)
				.message("Notion API upgrade"))
			.build());

		CheckResponse denied = engine
			.check(APICheckRequest.newBuilder().checkRequest(check(engineId, "notion", "create_page")).build());
		assertThat(denied.getReason()).isEqualTo(CheckResponse.ReasonEnum.PLATFORM_MAINTENANCE);
		assertThat(denied.getRetryAfter().getActualInstance()).isInstanceOfSatisfying(OffsetDateTime.class,
				(time) -> assertThat(time.toEpochSecond()).isEqualTo(endsAt.toEpochSecond()));
	}

	@Test
	void aDenyReasonAddedLaterReadsAsUnknownInsteadOfFailingTheAnswer() throws Exception {
		CheckResponse answer = strictMapper().readValue("""
				{"allowed":false,"reason":"A_REASON_ADDED_LATER","message":"Denied","required_scopes":[],\
				"engine_id":"action","platform":"gmail","action_type":"send_email","revision":1}""",
				CheckResponse.class);
		assertThat(answer.getReason()).isEqualTo(CheckResponse.ReasonEnum.UNKNOWN_DEFAULT_OPEN_API);
		assertThat(answer.getAllowed()).isFalse();
	}

	@Test
	void engineValidatesAKey() throws ApiException {
		String engineId = newEngineId();
		String key = register(engineId, Map.of("gmail", List.of("send_email"))).getEngineKey();
		EngineControlApi engine = api(engineId, key);
		ValidateResponse valid = engine.validate(APIValidateRequest.newBuilder()
			.validateRequest(new ValidateRequest().engineId(engineId).engineKey(key))
			.build());
		assertThat(valid.getValid()).isTrue();
		assertThat(valid.getEngineId()).isEqualTo(engineId);
		assertThat(valid.getStatus()).isEqualTo(ValidateResponse.StatusEnum.ACTIVE);
		assertThat(valid.getCapabilities()).containsOnlyKeys("gmail");
		ValidateResponse wrong = engine.validate(APIValidateRequest.newBuilder()
			.validateRequest(new ValidateRequest().engineId(engineId).engineKey(key + "x"))
			.build());
		assertThat(wrong.getValid()).isFalse();
		assertThat(wrong.getEngineId()).isNull();
	}

	@Test
	void engineListsPlatformsAndReadsTheGlobalConfig() throws ApiException {
		String engineId = newEngineId();
		EngineControlApi engine = api(engineId,
				register(engineId, Map.of("gmail", List.of("send_email"))).getEngineKey());

		PlatformListResponse platforms = engine.listPlatforms(APIListPlatformsRequest.newBuilder().build());
		PlatformResponse gmail = platforms.getPlatforms()
			.stream()
			.filter((platform) -> "gmail".equals(platform.getPlatform()))
			.findFirst()
			.orElseThrow();
		assertThat(gmail.getStatus()).isEqualTo(PlatformResponse.StatusEnum.AVAILABLE);
		assertThat(gmail.getActions()).extracting(ActionResponse::getActionType).contains("send_email");

		GlobalConfigResponse config = engine.getGlobalConfig(APIGetGlobalConfigRequest.newBuilder().build());
		assertThat(config.getApiVersion()).isEqualTo("1");
		assertThat(config.getSupportedVersions()).containsExactly("1");
		assertThat(config.getServerTime()).isNotNull();
	}

	@Test
	void engineLogsAnEventAndABatchOfEvents() throws ApiException {
		String engineId = newEngineId();
		EngineControlApi engine = api(engineId,
				register(engineId, Map.of("gmail", List.of("send_email"))).getEngineKey());

		EventResponse one = engine.logEvent(APILogEventRequest.newBuilder()
			.eventRequest(event("email_sent").message("Sent the weekly report"))
			.build());
		assertThat(one.getEventId()).isNotBlank();
		assertThat(one.getReceivedAt()).isNotNull();

		EventBatchResponse batch = engine.logEvents(APILogEventsRequest.newBuilder()
			.eventBatchRequest(new EventBatchRequest().addEventsItem(event("email_sent"))
				.addEventsItem(event("email_bounced").level(EventRequest.LevelEnum.WARN)))
			.build());
		assertThat(batch.getEventIds()).hasSize(2).doesNotHaveDuplicates().doesNotContain(one.getEventId());
		assertThat(batch.getReceivedAt()).isNotNull();
	}

	@Test
	void invalidCheckIsAProblemTheClientReadsAsTheDocumentedType() throws Exception {
		String engineId = newEngineId();
		EngineControlApi engine = api(engineId,
				register(engineId, Map.of("gmail", List.of("send_email"))).getEngineKey());

		ApiException refused = catchThrowableOfType(ApiException.class, () -> engine
			.check(APICheckRequest.newBuilder().checkRequest(new CheckRequest().platform("gmail")).build()));
		assertThat(refused.getCode()).isEqualTo(400);
		assertThat(refused.getResponseHeaders().firstValue("Content-Type")).hasValue("application/problem+json");
		ProblemDetail problem = strictMapper().readValue(refused.getResponseBody(), ProblemDetail.class);
		assertThat(problem.getType()).hasToString(PROBLEMS + "invalid-request");
		assertThat(problem.getStatus()).isEqualTo(400);
		assertThat(problem.getTitle()).isNotBlank();
		assertThat(problem.getInstance()).isEqualTo("/actions/check");
		assertThat(problem.getRequestId()).isEqualTo(refused.getResponseHeaders().firstValue("X-Request-ID").get());
		assertThat(problem.getErrors()).extracting(FieldError::getField).containsExactly("action_type");
	}

	private RegisterResponse register(String engineId, Map<String, List<String>> capabilities) throws ApiException {
		return this.operator.register(APIRegisterRequest.newBuilder()
			.registerRequest(new RegisterRequest().engineId(engineId).capabilities(capabilities))
			.build());
	}

	/** A client of the generated kind, as an engine would build one. */
	private EngineControlApi api(String engineId, String key) {
		ApiClient client = new ApiClient().setObjectMapper(strictMapper())
			.setRequestInterceptor((request) -> request.header("X-Engine-ID", engineId).header("X-Engine-Key", key));
		client.updateBaseUri("http://localhost:" + this.port);
		return new EngineControlApi(client);
	}

	/**
	 * The generated client's own mapper, made strict: a field the service sends that the
	 * description lacks fails the read.
	 */
	private static ObjectMapper strictMapper() {
		return ApiClient.createDefaultObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
	}

	private static CheckRequest check(String engineId, String platform, String actionType) {
		return new CheckRequest().engineId(engineId).platform(platform).actionType(actionType);
	}

	private static EventRequest event(String type) {
		return new EventRequest().eventType(type).level(EventRequest.LevelEnum.INFO);
	}

	private static String newEngineId() {
		return "client-" + names.incrementAndGet();
	}

}
