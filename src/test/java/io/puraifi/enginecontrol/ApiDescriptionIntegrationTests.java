package io.puraifi.enginecontrol;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import io.puraifi.enginecontrol.support.ContractValidator;
import io.swagger.v3.oas.annotations.Hidden;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The API surface end to end, over real HTTP: the OpenAPI description and Swagger UI
 * (open without credentials, covering every endpoint the application maps, in snake_case,
 * with the security schemes and problem responses, passing the Redocly linter), API
 * versioning with the {@code API-Version} header, and {@code /actuator/info}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiDescriptionIntegrationTests {

	/** Pinned; keep in step with the README's lint command. */
	static final String REDOCLY_CLI = "@redocly/cli@2.77.0";

	static final String ADMIN_KEY = "operator-key-for-api-tests-0123456789abcdefghij";

	private static final String PROBLEMS = "https://puraifi.io/problems/engine-control/";

	private static final Pattern SNAKE_CASE = Pattern.compile("^[a-z][a-z0-9]*(_[a-z0-9]+)*$");

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
	}

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping handlerMapping;

	EngineControlClient admin;

	EngineControlClient anonymous;

	@BeforeEach
	void clients() {
		this.admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
		this.anonymous = new EngineControlClient(this.port, null, null);
	}

	@Test
	void apiDocsAndSwaggerUiOpenWithoutCredentials() {
		Response docs = this.anonymous.get("/v3/api-docs");
		assertThat(docs.status()).isEqualTo(200);
		assertThat(docs.json().get("openapi").asString()).startsWith("3.1");
		assertThat(this.anonymous.get("/v3/api-docs.yaml").status()).isEqualTo(200);
		assertThat(this.anonymous.get("/v3/api-docs/swagger-config").status()).isEqualTo(200);
		Response swagger = this.anonymous.get("/swagger-ui.html");
		assertThat(swagger.status()).isEqualTo(302);
		assertThat(swagger.header("Location")).endsWith("/swagger-ui/index.html");
		Response page = this.anonymous.get("/swagger-ui/index.html");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("swagger-ui");
		assertThat(this.anonymous.get("/swagger-ui/swagger-initializer.js").body()).contains("/v3/api-docs");
	}

	@Test
	void documentHasEveryMappedEndpointOfTheApplication() {
		JsonNode paths = this.anonymous.get("/v3/api-docs").json().get("paths");
		List<String> expected = new ArrayList<>();
		this.handlerMapping.getHandlerMethods().forEach((info, method) -> {
			if (isApplicationEndpoint(method)) {
				for (String path : info.getPatternValues()) {
					for (RequestMethod verb : methodsOf(info)) {
						expected.add(verb.name().toLowerCase(Locale.ROOT) + " " + path);
					}
				}
			}
		});
		List<String> documented = new ArrayList<>();
		paths.properties()
			.forEach((path) -> path.getValue()
				.propertyNames()
				.forEach((verb) -> documented.add(verb + " " + path.getKey())));
		assertThat(expected).contains("post /actions/check", "post /engines/register", "get /config/global",
				"get /platforms/list", "post /log/engine_event", "post /engines/validate");
		assertThat(documented).containsAll(expected);
		assertThat(documented).noneMatch((operation) -> operation.contains("/error"));
	}

	@Test
	void schemasAreSnakeCaseLikeTheJsonTheServiceWrites() {
		JsonNode schemas = this.anonymous.get("/v3/api-docs").json().get("components").get("schemas");
		assertThat(propertiesOf(schemas, "CheckRequest")).contains("engine_id", "platform", "action_type");
		assertThat(propertiesOf(schemas, "CheckResponse")).contains("allowed", "required_scopes", "engine_id",
				"action_type", "platform_status");
		schemas.properties()
			.forEach((schema) -> assertThat(propertiesOf(schemas, schema.getKey())).as(schema.getKey())
				.allMatch((name) -> SNAKE_CASE.matcher(name).matches()));

		String engine = "doc" + Long.toHexString(System.nanoTime());
		Response registered = this.admin.post("/engines/register",
				"{\"engine_id\":\"" + engine + "\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		assertThat(registered.status()).isEqualTo(201);
		assertThat(propertiesOf(schemas, "RegisterResponse")).containsAll(names(registered.json()));
		Response check = this.admin.post("/actions/check",
				"{\"engine_id\":\"" + engine + "\",\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
		assertThat(check.json().get("allowed").asBoolean()).isTrue();
		assertThat(check.header("X-Store-Revision")).matches("\\d+");
		assertThat(propertiesOf(schemas, "CheckResponse")).containsAll(names(check.json()));
		assertThat(propertiesOf(schemas, "GlobalConfigResponse"))
			.containsAll(names(this.admin.get("/config/global").json()));
	}

	@Test
	void checkIsDescribedWithTheSeedExample() {
		JsonNode check = this.anonymous.get("/v3/api-docs").json().get("paths").get("/actions/check").get("post");
		JsonNode request = check.get("requestBody").get("content").get("application/json");
		assertThat(request.get("schema").get("$ref").asString()).isEqualTo("#/components/schemas/CheckRequest");
		assertThat(request.get("examples").get("send_email").get("value").toString())
			.isEqualTo("{\"engine_id\":\"action\",\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
		JsonNode allowed = check.get("responses").get("200").get("content").get("application/json");
		assertThat(allowed.get("schema").get("$ref").asString()).isEqualTo("#/components/schemas/CheckResponse");
		JsonNode example = allowed.get("examples").get("allowed").get("value");
		assertThat(example.get("allowed").asBoolean()).isTrue();
		assertThat(example.get("required_scopes").get(0).asString()).isEqualTo("mail.send");
	}

	@Test
	void everyOperationRequiresTheEngineHeadersAndDescribesItsProblems() {
		JsonNode document = this.anonymous.get("/v3/api-docs").json();
		JsonNode schemes = document.get("components").get("securitySchemes");
		assertThat(schemes.get("EngineId").get("type").asString()).isEqualTo("apiKey");
		assertThat(schemes.get("EngineId").get("in").asString()).isEqualTo("header");
		assertThat(schemes.get("EngineId").get("name").asString()).isEqualTo("X-Engine-ID");
		assertThat(schemes.get("EngineKey").get("name").asString()).isEqualTo("X-Engine-Key");
		JsonNode security = document.get("security").get(0);
		assertThat(security.propertyNames()).containsExactlyInAnyOrder("EngineId", "EngineKey");

		JsonNode problem = document.get("components").get("schemas").get("ProblemDetail");
		assertThat(problem.get("properties").propertyNames()).contains("type", "title", "status", "detail", "instance",
				"request_id", "errors", "supported_versions");

		document.get("paths").properties().forEach((path) -> path.getValue().properties().forEach((verb) -> {
			String operation = verb.getKey() + " " + path.getKey();
			JsonNode responses = verb.getValue().get("responses");
			if (!operation.equals("post /engines/register")) {
				assertThat(verb.getValue().has("security")).as(operation + " overrides the global security").isFalse();
			}
			for (String status : List.of("400", "401", "403", "406", "413", "415", "429", "500", "503")) {
				assertThat(responses.has(status)).as(operation + " " + status).isTrue();
			}
			if (path.getKey().contains("{")) {
				assertThat(responses.has("404")).as(operation + " 404").isTrue();
			}
			assertThat(responses.propertyNames()).as(operation + " documents its success")
				.anyMatch((status) -> status.startsWith("2"));
			responses.properties().forEach((response) -> {
				assertThat(response.getValue().get("headers").has("API-Version")).as(operation).isTrue();
				if (response.getKey().startsWith("2") && response.getValue().has("content")) {
					assertThat(response.getValue().get("headers").has("X-Store-Revision")).as(operation).isTrue();
				}
				if (response.getKey().equals("429") || response.getKey().equals("503")) {
					assertThat(response.getValue().get("headers").has("Retry-After")).as(operation).isTrue();
				}
				if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
					assertThat(response.getValue()
						.get("content")
						.get("application/problem+json")
						.get("schema")
						.get("$ref")
						.asString()).as(operation + " " + response.getKey())
						.isEqualTo("#/components/schemas/ProblemDetail");
				}
			});
		}));
		JsonNode register = document.get("paths").get("/engines/register").get("post").get("responses");
		assertThat(register.propertyNames()).contains("201", "409", "422").doesNotContain("200");
		JsonNode validate = document.get("paths").get("/engines/validate").get("post").get("responses");
		assertThat(validate.get("200").get("content").get("application/json").get("schema").get("$ref").asString())
			.isEqualTo("#/components/schemas/ValidateResponse");
	}

	@Test
	void registerShowsItsTwoWaysInAsSecurityAlternativesAndNoParameterThatDoesNotExist() {
		JsonNode document = this.anonymous.get("/v3/api-docs").json();
		JsonNode token = document.get("components").get("securitySchemes").get("EnrollmentToken");
		assertThat(token.get("type").asString()).isEqualTo("apiKey");
		assertThat(token.get("in").asString()).isEqualTo("header");
		assertThat(token.get("name").asString()).isEqualTo("X-Enrollment-Token");
		JsonNode register = document.get("paths").get("/engines/register").get("post");
		assertThat(register.get("security").toString())
			.isEqualTo("[{\"EngineId\":[],\"EngineKey\":[]},{\"EnrollmentToken\":[]}]");
		List<String> parameters = new ArrayList<>();
		document.get("paths")
			.properties()
			.forEach((path) -> path.getValue()
				.properties()
				.forEach((verb) -> verb.getValue()
					.path("parameters")
					.forEach((parameter) -> parameters.add(verb.getKey() + " " + path.getKey() + " "
							+ parameter.path("name").asString(parameter.path("$ref").asString())))));
		assertThat(parameters).isNotEmpty()
			.noneMatch((parameter) -> parameter.contains("!"))
			.noneMatch((parameter) -> parameter.toLowerCase(Locale.ROOT).contains("x-engine-")
					|| parameter.toLowerCase(Locale.ROOT).contains("x-enrollment-token"));
		JsonNode answer = register.get("responses").get("201").get("content").get("application/json").get("schema");
		String schema = answer.get("$ref").asString().substring("#/components/schemas/".length());
		assertThat(propertiesOf(document.get("components").get("schemas"), schema)).contains("engine_id", "engine_key",
				"capabilities", "not_granted", "created_at");
	}

	@Test
	void everyOperationHasASummaryThatSaysWhatItDoes() {
		JsonNode paths = this.anonymous.get("/v3/api-docs").json().get("paths");
		Set<String> summaries = new TreeSet<>();
		paths.properties().forEach((path) -> path.getValue().properties().forEach((verb) -> {
			String operation = verb.getKey() + " " + path.getKey();
			JsonNode summary = verb.getValue().get("summary");
			assertThat(summary).as(operation + " has a summary").isNotNull();
			assertThat(summary.asString().trim().split("\\s+"))
				.as(operation + ": '" + summary.asString() + "' is one or two words; say what the operation does")
				.hasSizeGreaterThanOrEqualTo(3);
			assertThat(summaries.add(summary.asString())).as(operation + ": '" + summary.asString() + "' is taken")
				.isTrue();
		}));
	}

	/**
	 * A generated client names its methods by operationId: springdoc makes one from the
	 * method name and numbers clashes ({@code list_5}), so adding an endpoint renamed
	 * another client's methods. Each operation names its own.
	 */
	@Test
	void everyOperationHasAStableOperationIdOfItsOwn() {
		JsonNode paths = this.anonymous.get("/v3/api-docs").json().get("paths");
		Set<String> ids = new TreeSet<>();
		paths.properties().forEach((path) -> path.getValue().properties().forEach((verb) -> {
			String operation = verb.getKey() + " " + path.getKey();
			JsonNode id = verb.getValue().get("operationId");
			assertThat(id).as(operation + " has an operationId").isNotNull();
			assertThat(id.asString()).as(operation + ": set @Operation(operationId) to a name of its own")
				.matches("[a-z][A-Za-z]+");
			assertThat(ids.add(id.asString())).as(operation + ": '" + id.asString() + "' is taken").isTrue();
		}));
	}

	@Test
	void contractValidatorFailsOnAnUndocumentedFieldTypeStatusOrParameter() {
		String base = "http://localhost:" + this.port;
		Response real = this.admin.get("/config/global");
		assertThat(real.status()).isEqualTo(200);
		Map<String, List<String>> credentials = Map.of("X-Engine-ID", List.of("admin"), "X-Engine-Key",
				List.of(ADMIN_KEY));
		Map<String, List<String>> json = Map.of("Content-Type", List.of("application/json"));
		ContractValidator validator = ContractValidator.of(base);
		ContractValidator.Exchange documented = new ContractValidator.Exchange("GET", "/config/global", credentials,
				null, 200, json, real.body());
		assertThat(validator.validate(documented).getMessages()).isEmpty();

		String extraField = real.body().replaceFirst("\\{", "{\"bogus\":1,");
		ContractValidator.Exchange undocumentedField = new ContractValidator.Exchange("GET", "/config/global",
				credentials, null, 200, json, extraField);
		assertThat(validator.validate(undocumentedField).getMessages())
			.anyMatch((message) -> message.getKey().endsWith("additionalProperties")
					&& message.getMessage().contains("bogus"));
		assertThatThrownBy(() -> ContractValidator.check(base, undocumentedField)).isInstanceOf(AssertionError.class)
			.hasMessageContaining("bogus");

		String wrongType = real.body().replaceFirst("\"api_version\":\"1\"", "\"api_version\":1");
		assertThat(wrongType).isNotEqualTo(real.body());
		assertThat(validator
			.validate(new ContractValidator.Exchange("GET", "/config/global", credentials, null, 200, json, wrongType))
			.getMessages()).anyMatch((message) -> message.getMessage().contains("api_version"));

		ContractValidator.Exchange undocumentedStatus = new ContractValidator.Exchange("GET", "/config/global",
				credentials, null, 418, Map.of("Content-Type", List.of("application/problem+json")),
				"{\"type\":\"about:blank\",\"title\":\"Teapot\",\"status\":418}");
		assertThat(validator.validate(undocumentedStatus).getMessages())
			.anyMatch((message) -> message.getKey().equals("validation.response.status.unknown"));

		ContractValidator.Exchange undocumentedParameter = new ContractValidator.Exchange("GET",
				"/config/global?verbose=true", credentials, null, 200, json, real.body());
		assertThat(validator.validate(undocumentedParameter).getMessages())
			.anyMatch((message) -> message.getKey().equals("validation.request.parameter.query.unexpected"));
	}

	@Test
	void requestsWithoutVersionOrWithVersionOneAreServedAsVersionOne() {
		Response unversioned = this.admin.get("/config/global");
		assertThat(unversioned.status()).isEqualTo(200);
		assertThat(unversioned.header("API-Version")).isEqualTo("1");
		assertThat(unversioned.json().get("api_version").asString()).isEqualTo("1");
		assertThat(unversioned.json().get("supported_versions").get(0).asString()).isEqualTo("1");
		Response one = this.admin.withHeader("API-Version", "1").get("/config/global");
		assertThat(one.status()).isEqualTo(200);
		assertThat(one.header("API-Version")).isEqualTo("1");
		assertThat(this.admin.withHeader("API-Version", "1.0").get("/platforms/list").header("API-Version"))
			.isEqualTo("1");
	}

	@Test
	void unsupportedVersionIsRefusedWithAProblemNamingTheSupportedOnes() {
		for (String version : List.of("2", "abc", "0.9")) {
			Response refused = this.admin.withHeader("API-Version", version).get("/config/global");
			assertThat(refused.status()).as(version).isEqualTo(400);
			assertThat(refused.contentType()).isEqualTo("application/problem+json");
			assertThat(refused.header("API-Version")).isEqualTo("1");
			JsonNode body = refused.json();
			assertThat(body.get("type").asString()).isEqualTo(PROBLEMS + "unsupported-api-version");
			assertThat(body.get("detail").asString()).contains("'" + version + "'");
			assertThat(body.get("supported_versions").toString()).isEqualTo("[\"1\"]");
			assertThat(body.get("request_id").asString()).isEqualTo(refused.header("X-Request-ID"));
		}
	}

	@Test
	void errorsOutsideTheControllersNameTheVersionToo() {
		Response unauthenticated = this.anonymous.get("/config/global");
		assertThat(unauthenticated.status()).isEqualTo(401);
		assertThat(unauthenticated.header("API-Version")).isEqualTo("1");
		Response notFound = this.admin.get("/no/such/endpoint");
		assertThat(notFound.status()).isEqualTo(404);
		assertThat(notFound.header("API-Version")).isEqualTo("1");
	}

	@Test
	void actuatorIsNotVersioned() {
		Response health = this.anonymous.withHeader("API-Version", "2").get("/actuator/health/liveness");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.header("API-Version")).isNull();
		assertThat(this.admin.withHeader("API-Version", "abc").get("/actuator/prometheus").status()).isEqualTo(200);
	}

	@Test
	void infoShowsVersionGitCommitAndBuildTime() {
		assertThat(this.anonymous.get("/actuator/info").status()).isEqualTo(401);
		Response info = this.admin.get("/actuator/info");
		assertThat(info.status()).isEqualTo(200);
		JsonNode body = info.json();
		assertThat(body.get("build").get("version").asString()).isNotBlank();
		assertThat(body.get("build").get("time").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
		// Built from a git checkout (CI and developers); a source tarball has no git
		// section.
		assumeTrue(Files.exists(Path.of(".git")), "not built from a git checkout");
		assertThat(body.get("git").get("commit").get("id").get("abbrev").asString()).matches("[0-9a-f]{7,}");
		assertThat(body.get("git").get("commit").get("time")).isNotNull();
		assertThat(body.toString()).doesNotContain("email").doesNotContain("user");
	}

	@Test
	void redoclyLintFindsNoErrors(@TempDir Path work) throws IOException, InterruptedException {
		assumeTrue(onPath("npx"), "npx is not on the PATH");
		Path document = work.resolve("openapi.json");
		Response docs = this.anonymous.get("/v3/api-docs");
		assertThat(docs.status()).isEqualTo(200);
		Files.writeString(document, docs.body());
		Path output = work.resolve("lint.txt");
		ProcessBuilder lint = new ProcessBuilder("npx", "--yes", REDOCLY_CLI, "lint", document.toString(), "--config",
				Path.of("redocly.yaml").toAbsolutePath().toString(), "--format", "stylish")
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		lint.environment().put("REDOCLY_TELEMETRY", "off");
		lint.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
		lint.environment().put("NO_COLOR", "1");
		Process process = lint.start();
		boolean finished = process.waitFor(5, TimeUnit.MINUTES);
		if (!finished) {
			process.destroyForcibly();
		}
		String report = Files.readString(output, StandardCharsets.UTF_8);
		System.out.println("redocly lint of /v3/api-docs:\n" + report);
		assertThat(finished).as("redocly lint finished within 5 minutes").isTrue();
		assertThat(process.exitValue()).as(report).isZero();
		assertThat(report).contains("Your API description is valid");
	}

	private boolean isApplicationEndpoint(HandlerMethod method) {
		return method.getBeanType().getPackageName().startsWith("io.puraifi.enginecontrol")
				&& !AnnotatedElementUtils.hasAnnotation(method.getBeanType(), Hidden.class)
				&& !AnnotatedElementUtils.hasAnnotation(method.getMethod(), Hidden.class);
	}

	private static Set<RequestMethod> methodsOf(RequestMappingInfo info) {
		Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
		return methods.isEmpty() ? Set.of(RequestMethod.GET) : methods;
	}

	private static Set<String> propertiesOf(JsonNode schemas, String name) {
		JsonNode schema = schemas.get(name);
		assertThat(schema).as(name).isNotNull();
		return (schema.has("properties")) ? new TreeSet<>(schema.get("properties").propertyNames()) : Set.of();
	}

	private static Set<String> names(JsonNode object) {
		return new TreeSet<>(object.propertyNames());
	}

	private static boolean onPath(String command) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String dir : path.split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(dir, command))) {
				return true;
			}
		}
		return false;
	}

}
