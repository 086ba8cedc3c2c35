package io.puraifi.enginecontrol.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API description is the contract: every exchange the integration suites make over
 * real HTTP is checked against the description the service itself serves at
 * {@code /v3/api-docs}, with Atlassian's OpenAPI validator. The response is always
 * checked; the request too when the service accepted it (a 2xx or 3xx answer), since a
 * request the service accepts must be one the description allows, while tests that send
 * bad input on purpose get a 4xx and only that answer is checked.
 *
 * <p>
 * Strict on purpose: a response field no schema declares, a status the operation does not
 * list, a query parameter it does not declare, are errors. An exchange on a path the
 * description does not hold passes only when the service refused it as such ({@code 404}
 * or {@code 405}). Paths that are not the API (actuator, the description itself, Swagger
 * UI, the console) are not checked.
 *
 * <p>
 * The validator's last release for Java 17 (2.46) reads OpenAPI 3.1 schemas without their
 * {@code type} (swagger-core keeps 3.1 types apart, and the validator serializes schemas
 * the 3.0 way): a string where an integer is described would pass. So the served 3.1
 * description is handed to it in 3.0 form ({@link #asOpenApi30(String)}), which is the
 * same description for everything the service uses, and refused if it uses a 3.1 keyword
 * that has no 3.0 form.
 *
 * <p>
 * The description is loaded once per base URL (one running instance, or a later one on
 * the same port, which runs the same code and so serves the same description).
 */
public final class ContractValidator {

	/** Paths outside the API the description covers. */
	private static final List<String> NOT_THE_API = List.of("/actuator", "/v3/api-docs", "/swagger-ui", "/console");

	/** Report keys of an exchange whose path or method the description does not hold. */
	private static final Set<String> OUTSIDE_THE_DESCRIPTION = Set.of("validation.request.path.missing",
			"validation.request.operation.notAllowed");

	private static final Map<String, ContractValidator> BY_BASE_URL = new ConcurrentHashMap<>();

	/** JSON Schema keywords of OpenAPI 3.1 that OpenAPI 3.0 cannot say. */
	private static final List<String> WITHOUT_30_FORM = List.of("prefixItems", "unevaluatedProperties",
			"unevaluatedItems", "dependentRequired", "dependentSchemas", "patternProperties", "if", "then", "else",
			"contains", "$dynamicRef", "propertyNames");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final OpenApiInteractionValidator validator;

	private ContractValidator(String description) {
		this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(asOpenApi30(description))
			.withLevelResolver(LevelResolver.create()
				.withDefaultLevel(ValidationReport.Level.ERROR)
				// Explicit, though ERROR is the default for both: an undocumented field
				// in a body, or an undocumented status, is a broken contract.
				.withLevel("validation.schema.additionalProperties", ValidationReport.Level.ERROR)
				.withLevel("validation.response.status.unknown", ValidationReport.Level.ERROR)
				// The validator's default ignores these; a parameter the service reads
				// but the description lacks is a gap a client cannot see.
				.withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
				.build())
			.build();
	}

	/**
	 * The validator for the instance at a base URL, loading its served description on
	 * first use.
	 * @param baseUrl e.g. {@code http://localhost:8080}
	 * @return the validator
	 */
	public static ContractValidator of(String baseUrl) {
		return BY_BASE_URL.computeIfAbsent(baseUrl, (url) -> new ContractValidator(served(url)));
	}

	/**
	 * Loads the description of the instance at a base URL now, if it answers, so that no
	 * later exchange (a timed one, say) waits for it; else it is loaded on first use.
	 * @param baseUrl e.g. {@code http://localhost:8080}
	 */
	public static void preload(String baseUrl) {
		try {
			of(baseUrl);
		}
		catch (UncheckedIOException | AssertionError ex) {
			// Not answering (yet, or any more): the first exchange loads it, or fails.
		}
	}

	/**
	 * Whether exchanges on this path are checked at all.
	 * @param pathAndQuery the request target
	 * @return false for paths outside the API
	 */
	public static boolean covers(String pathAndQuery) {
		String path = pathOf(pathAndQuery);
		return NOT_THE_API.stream()
			.noneMatch(
					(prefix) -> path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + "."));
	}

	/**
	 * Checks an exchange with the instance at a base URL and fails with the validator's
	 * messages on a mismatch; does nothing for a path outside the API.
	 * @param baseUrl the instance
	 * @param exchange the exchange
	 */
	public static void check(String baseUrl, Exchange exchange) {
		if (!covers(exchange.pathAndQuery())) {
			return;
		}
		ValidationReport report = of(baseUrl).validate(exchange);
		if (report.hasErrors()) {
			throw new AssertionError("The exchange does not match the served API description:\n" + exchange.summary()
					+ "\n" + SimpleValidationReportFormat.getInstance().apply(report));
		}
	}

	/**
	 * Checks an exchange made with {@code java.net.http} against the instance it was sent
	 * to, as {@link #check(String, Exchange)} does.
	 * @param response the answer (its request is the one sent)
	 * @param requestBody the request's body, or null
	 * @return the answer
	 */
	public static HttpResponse<String> check(HttpResponse<String> response, String requestBody) {
		URI uri = response.request().uri();
		String target = uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
		check(uri.getScheme() + "://" + uri.getAuthority(),
				new Exchange(response.request().method(), target, response.request().headers().map(), requestBody,
						response.statusCode(), response.headers().map(), response.body()));
		return response;
	}

	/**
	 * Validates an exchange: the response always, the request when the service accepted
	 * it.
	 * @param exchange the exchange
	 * @return the validator's report, with exchanges on paths outside the description
	 * that the service refused as such left out
	 */
	public ValidationReport validate(Exchange exchange) {
		Request request = request(exchange);
		SimpleResponse.Builder response = new SimpleResponse.Builder(exchange.status());
		exchange.responseHeaders().forEach((name, values) -> {
			if (!name.isEmpty() && !name.startsWith(":")) {
				response.withHeader(name, values);
			}
		});
		if (exchange.responseBody() != null && !exchange.responseBody().isEmpty()) {
			response.withBody(exchange.responseBody());
		}
		boolean accepted = exchange.status() < 400;
		ValidationReport report = accepted ? this.validator.validate(request, response.build())
				: this.validator.validateResponse(request.getPath(), request.getMethod(), response.build());
		boolean refusedAsUnknown = exchange.status() == 404 || exchange.status() == 405;
		if (refusedAsUnknown
				&& report.getMessages().stream().anyMatch((m) -> OUTSIDE_THE_DESCRIPTION.contains(m.getKey()))) {
			return ValidationReport.empty();
		}
		return report;
	}

	/**
	 * The description in OpenAPI 3.0 form: the version, {@code type} arrays with
	 * {@code "null"} as {@code nullable}, numeric {@code exclusiveMinimum} and
	 * {@code exclusiveMaximum} as the boolean forms, {@code const} as a one-value
	 * {@code enum}. A 3.1 keyword without a 3.0 form fails, so that nothing is silently
	 * left unchecked.
	 * @param description the served description (JSON)
	 * @return the same description as OpenAPI 3.0
	 */
	static String asOpenApi30(String description) {
		JsonNode document = JSON.readTree(description);
		if (!document.path("openapi").asString("").startsWith("3.1")) {
			return description;
		}
		ObjectNode root = (ObjectNode) document;
		root.put("openapi", "3.0.3");
		root.remove("jsonSchemaDialect");
		translate(root, "");
		return JSON.writeValueAsString(root);
	}

	private static void translate(JsonNode node, String at) {
		if (node instanceof ArrayNode array) {
			for (int i = 0; i < array.size(); i++) {
				translate(array.get(i), at + "/" + i);
			}
			return;
		}
		// Example values are data, not schemas; a properties map is keyed by field names.
		if (!(node instanceof ObjectNode object) || at.contains("/examples/") || at.contains("/example")) {
			return;
		}
		for (String keyword : WITHOUT_30_FORM) {
			if (object.has(keyword) && !at.endsWith("/properties")) {
				throw new AssertionError("The description uses '" + keyword + "' at " + at
						+ ", which the contract validator cannot check (no OpenAPI 3.0 form)");
			}
		}
		JsonNode type = object.get("type");
		if (type instanceof ArrayNode types) {
			List<String> named = new ArrayList<>();
			types.forEach((value) -> named.add(value.asString()));
			if (named.remove("null")) {
				object.put("nullable", true);
			}
			if (named.size() != 1) {
				throw new AssertionError("The description has a type of several kinds at " + at + ": " + named);
			}
			object.put("type", named.get(0));
		}
		for (String bound : List.of("Minimum", "Maximum")) {
			JsonNode exclusive = object.get("exclusive" + bound);
			if (exclusive != null && exclusive.isNumber()) {
				object.set(bound.toLowerCase(Locale.ROOT), exclusive);
				object.put("exclusive" + bound, true);
			}
		}
		JsonNode constant = object.get("const");
		if (constant != null && !object.has("enum")) {
			object.remove("const");
			object.set("enum", JSON.createArrayNode().add(constant));
		}
		for (String name : new ArrayList<>(object.propertyNames())) {
			translate(object.get(name), at + "/" + name);
		}
	}

	private static Request request(Exchange exchange) {
		String target = exchange.pathAndQuery();
		int question = target.indexOf('?');
		SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.method(), pathOf(target));
		if (question >= 0) {
			Map<String, List<String>> query = java.util.Arrays.stream(target.substring(question + 1).split("&"))
				.filter((pair) -> !pair.isEmpty())
				.collect(Collectors.groupingBy((pair) -> decode(pair.split("=", 2)[0]), java.util.LinkedHashMap::new,
						Collectors.mapping((pair) -> (pair.contains("=")) ? decode(pair.split("=", 2)[1]) : "",
								Collectors.toList())));
			query.forEach(request::withQueryParam);
		}
		exchange.requestHeaders().forEach(request::withHeader);
		if (exchange.requestBody() != null) {
			request.withBody(exchange.requestBody());
		}
		return request.build();
	}

	private static String pathOf(String pathAndQuery) {
		int question = pathAndQuery.indexOf('?');
		return (question >= 0) ? pathAndQuery.substring(0, question) : pathAndQuery;
	}

	private static String decode(String text) {
		return URLDecoder.decode(text, StandardCharsets.UTF_8);
	}

	private static String served(String baseUrl) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v3/api-docs"))
			.timeout(Duration.ofSeconds(30))
			.build();
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new AssertionError(
						"GET " + baseUrl + "/v3/api-docs answered " + response.statusCode() + ": " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One request and its answer, as sent and received.
	 *
	 * @param method the method
	 * @param pathAndQuery the request target
	 * @param requestHeaders the request's headers (Content-Type included when a body is
	 * sent)
	 * @param requestBody the request's body, or null
	 * @param status the answer's status
	 * @param responseHeaders the answer's headers
	 * @param responseBody the answer's body, or null or empty
	 */
	public record Exchange(String method, String pathAndQuery, Map<String, List<String>> requestHeaders,
			String requestBody, int status, Map<String, List<String>> responseHeaders, String responseBody) {

		String summary() {
			return this.method + " " + this.pathAndQuery + " -> " + this.status + " " + this.responseBody;
		}

	}

}
