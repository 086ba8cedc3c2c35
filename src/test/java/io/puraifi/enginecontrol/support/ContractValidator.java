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
import java.util.List;
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

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final OpenApiInteractionValidator validator;

	private ContractValidator(String description) {
		this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(description)
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
	 * The validator for a description given as text (JSON or YAML).
	 * @param description the OpenAPI description
	 * @return the validator
	 */
	public static ContractValidator forDescription(String description) {
		return new ContractValidator(description);
	}

	/**
	 * Whether exchanges on this path are checked at all.
	 * @param pathAndQuery the request target
	 * @return false for paths outside the API
	 */
	public static boolean covers(String pathAndQuery) {
		String path = pathOf(pathAndQuery);
		return NOT_THE_API.stream()
			.noneMatch((prefix) -> path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + ".")
					|| path.startsWith(prefix + "?"));
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
