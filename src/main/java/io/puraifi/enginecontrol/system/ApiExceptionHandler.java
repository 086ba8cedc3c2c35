package io.puraifi.enginecontrol.system;

import java.lang.reflect.Method;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.NestedRuntimeException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.TransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.accept.InvalidApiVersionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Turns every error raised while handling a request into {@code application/problem+json}
 * with a stable type, the request id and, for invalid input, one entry per field in
 * {@code errors}. Bodies never carry class names, SQL or internal messages.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	/**
	 * At most this many field errors are repeated in {@code detail}; all are in
	 * {@code errors}.
	 */
	private static final int MAX_ERRORS_IN_DETAIL = 3;

	/** Jackson's words for a raw control character in a string, with its code. */
	private static final Pattern CONTROL_CHARACTER = Pattern.compile("CTRL-CHAR, code (\\d{1,3})");

	/** Jackson's words for a punctuation character where another was expected. */
	private static final Pattern UNEXPECTED = Pattern
		.compile("^Unexpected character \\('([\\]}',:\\[{])' \\(code \\d+\\)\\)");

	private final Counter storeErrors;

	ApiExceptionHandler(ObjectProvider<MeterRegistry> meters) {
		this.storeErrors = Counter.builder("engine.control.store.errors")
			.description("Requests that failed because the store failed")
			.register(meters.getIfAvailable(SimpleMeterRegistry::new));
	}

	@ExceptionHandler(ProblemException.class)
	ResponseEntity<ProblemDetail> handleProblem(ProblemException ex, HttpServletRequest request) {
		ProblemDetail problem = Problems.of(ex.type(), ex.getMessage(), request);
		ex.properties().forEach(problem::setProperty);
		ResponseEntity.BodyBuilder response = ResponseEntity.status(ex.type().status());
		if (ex.retryAfter() != null) {
			response.header(HttpHeaders.RETRY_AFTER, ProblemException.retryAfterSeconds(ex.retryAfter()));
		}
		return response.body(problem);
	}

	@ExceptionHandler(InvalidApiVersionException.class)
	ResponseEntity<ProblemDetail> handleApiVersion(InvalidApiVersionException ex, HttpServletRequest request) {
		ProblemDetail problem = Problems.of(ProblemType.UNSUPPORTED_API_VERSION,
				"API version '" + printable(request.getHeader(ApiVersions.HEADER)) + "' is not supported; send "
						+ ApiVersions.HEADER + " with one of " + String.join(", ", ApiVersions.SUPPORTED)
						+ ", or leave it out for " + ApiVersions.DEFAULT,
				request);
		problem.setProperty("supported_versions", ApiVersions.SUPPORTED);
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

	/**
	 * Tomcat refuses to decode a query or form parameter that is not valid UTF-8 (or is
	 * otherwise malformed) when the parameter is first read. Its message quotes the
	 * caller's bytes, so it is neither logged nor shown.
	 */
	@ExceptionHandler(InvalidParameterException.class)
	ResponseEntity<ProblemDetail> handleInvalidParameter(InvalidParameterException ex, HttpServletRequest request) {
		ProblemDetail problem = Problems.of(ProblemType.INVALID_REQUEST,
				"A query or form parameter is malformed or not valid UTF-8", request);
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

	@ExceptionHandler({ DataAccessException.class, TransactionException.class })
	ResponseEntity<ProblemDetail> handleStore(NestedRuntimeException ex, HttpServletRequest request) {
		if (!StoreErrors.isOutage(ex)) {
			return handleUnexpected(ex, request);
		}
		this.storeErrors.increment();
		// Expected while the store is away: one line each, no stack trace flood.
		log.atWarn()
			.addKeyValue("cause", ex.getMostSpecificCause().getClass().getSimpleName())
			.log("store unavailable: {}", ex.getMostSpecificCause().getMessage());
		String detail = StoreErrors.refusesWrites(ex)
				? "The store refuses writes (full, read-only or without rights); nothing was changed, retry later"
				: "The store is unavailable; nothing was changed, retry later";
		ProblemDetail problem = Problems.of(ProblemType.STORE_UNAVAILABLE, detail, request);
		return ResponseEntity.status(problem.getStatus()).header(HttpHeaders.RETRY_AFTER, "5").body(problem);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> handleUnexpected(Exception ex, HttpServletRequest request) {
		log.error("unexpected error", ex);
		ProblemDetail problem = Problems.of(ProblemType.INTERNAL_ERROR, "An unexpected error occurred", request);
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = new ArrayList<>();
		for (FieldError error : ex.getBindingResult().getFieldErrors()) {
			errors.add(fieldError(fieldAsSent(error), error.getDefaultMessage()));
		}
		ex.getBindingResult()
			.getGlobalErrors()
			.forEach((error) -> errors.add(fieldError(error.getObjectName(), error.getDefaultMessage())));
		return invalid(withErrors("The request body is invalid", errors), errors, request);
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = new ArrayList<>();
		ex.getParameterValidationResults().forEach((result) -> {
			String name = Problems.snakeCase(result.getMethodParameter().getParameterName());
			for (MessageSourceResolvable error : result.getResolvableErrors()) {
				// A @Valid body validated with a constrained path variable arrives here:
				// name its field, not the parameter.
				String field = (error instanceof FieldError fieldError) ? fieldAsSent(fieldError) : name;
				errors.add(fieldError(field, error.getDefaultMessage()));
			}
		});
		return invalid(withErrors("The request is invalid", errors), errors, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (causedBy(ex, BodySizeLimitFilter.BodyTooLargeException.class)) {
			ProblemDetail problem = Problems.of(ProblemType.PAYLOAD_TOO_LARGE,
					causeOf(ex, BodySizeLimitFilter.BodyTooLargeException.class).getMessage(), servletRequest(request));
			return ResponseEntity.status(problem.getStatus()).body(problem);
		}
		JacksonException jackson = causeOf(ex, JacksonException.class);
		String field = (jackson != null) ? jsonPath(jackson) : "";
		String message = (jackson != null) ? fieldMessage(jackson) : null;
		if (message != null && !field.isEmpty()) {
			return invalid("Field '" + field + "' " + message, new ArrayList<>(List.of(fieldError(field, message))),
					request);
		}
		return invalid(unreadableDetail(jackson, message), List.of(), request);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		// Spring's own 500s (a body it could not write, for one) are as
		// unexpected as ours; a client that hung up mid-answer is not.
		if (statusCode.is5xxServerError() && !DisconnectedClientHelper.isClientDisconnectedException(ex)) {
			log.error("unexpected error", ex);
		}
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem) {
			HttpServletRequest servletRequest = servletRequest(request);
			Problems.decorate(problem, ProblemType.forStatus(statusCode.value()), servletRequest);
			if (ex instanceof HttpMediaTypeNotSupportedException unsupported) {
				problem.setDetail(unsupportedMediaTypeDetail(unsupported.getContentType()));
			}
			if (ex instanceof HttpMediaTypeNotAcceptableException notAcceptable) {
				problem.setDetail(notAcceptableDetail(notAcceptable.getSupportedMediaTypes()));
			}
			if (ex instanceof NoResourceFoundException && servletRequest != null) {
				problem.setDetail("No endpoint " + servletRequest.getMethod() + " " + servletRequest.getRequestURI());
			}
		}
		return response;
	}

	private ResponseEntity<Object> invalid(String detail, List<Map<String, String>> errors, WebRequest request) {
		ProblemDetail problem = Problems.of(ProblemType.INVALID_REQUEST, detail, servletRequest(request));
		if (!errors.isEmpty()) {
			errors.sort(Comparator.comparing((Map<String, String> error) -> error.get("field"))
				.thenComparing((error) -> error.get("message")));
			problem.setProperty("errors", errors);
		}
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

	/**
	 * The detail of a request with invalid fields: what is wrong with the first few, so
	 * that a client showing only the detail still says how to fix it.
	 */
	private static String withErrors(String detail, List<Map<String, String>> errors) {
		if (errors.isEmpty()) {
			return detail;
		}
		List<Map<String, String>> sorted = new ArrayList<>(errors);
		sorted.sort(Comparator.comparing((Map<String, String> error) -> error.get("field"))
			.thenComparing((error) -> error.get("message")));
		String listed = sorted.stream()
			.limit(MAX_ERRORS_IN_DETAIL)
			.map((error) -> error.get("field") + " " + error.get("message"))
			.collect(Collectors.joining("; "));
		int more = sorted.size() - MAX_ERRORS_IN_DETAIL;
		return detail + ": " + listed + ((more > 0) ? "; and " + more + " more in errors" : "");
	}

	/**
	 * The field a violation is about, spelled as the client sent it: JSON names
	 * (snake_case), map keys as sent after a dot, list positions in brackets, e.g.
	 * {@code capabilities.Gmail} or {@code capabilities.slack[1]}. Spring's own field
	 * name ({@code capabilities[Gmail]}) is bean-property syntax, which snake-casing
	 * turned into {@code capabilities[_gmail]}.
	 */
	static String fieldAsSent(FieldError error) {
		ConstraintViolation<?> violation = null;
		try {
			violation = error.unwrap(ConstraintViolation.class);
		}
		catch (IllegalArgumentException ex) {
			// not from Bean Validation: Spring's field name, snake-cased, is all there is
		}
		return (violation != null) ? fieldAsSent(violation.getPropertyPath()) : Problems.snakeCase(error.getField());
	}

	static String fieldAsSent(Path path) {
		StringBuilder field = new StringBuilder();
		for (Path.Node node : path) {
			if (node.isInIterable()) {
				if (node.getKey() != null) {
					field.append('.').append(mapKey(String.valueOf(node.getKey())));
				}
				else if (node.getIndex() != null) {
					field.append('[').append(node.getIndex()).append(']');
				}
			}
			if (node.getKind() == ElementKind.PROPERTY) {
				if (!field.isEmpty()) {
					field.append('.');
				}
				field.append(Problems.snakeCase(node.getName()));
			}
		}
		return field.toString();
	}

	private static String mapKey(String key) {
		return (key.length() > 64) ? key.substring(0, 64) + "..." : key;
	}

	/**
	 * Where in the body Jackson failed, spelled like {@link #fieldAsSent(Path)}: names
	 * are the JSON names as sent.
	 */
	private static String jsonPath(JacksonException jackson) {
		StringBuilder field = new StringBuilder();
		for (JacksonException.Reference reference : jackson.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!field.isEmpty()) {
					field.append('.');
				}
				field.append(mapKey(reference.getPropertyName()));
			}
			else if (reference.getIndex() >= 0) {
				field.append('[').append(reference.getIndex()).append(']');
			}
		}
		return field.toString();
	}

	static String unsupportedMediaTypeDetail(MediaType contentType) {
		String sent = (contentType != null) ? printableMediaType(contentType.toString()) : "";
		return (sent.isEmpty() ? "This body's media type is not supported"
				: "Content-Type '" + sent + "' is not supported") + "; " + Problems.SEND_JSON;
	}

	static String notAcceptableDetail(List<MediaType> supported) {
		// The service's own types, not the client's: shown as they are
		// (application/*+json).
		String types = supported.stream().map(MediaType::toString).collect(Collectors.joining(", "));
		return "This endpoint answers only in " + (types.isEmpty() ? "application/json" : types)
				+ "; send Accept: application/json, or no Accept";
	}

	private static String printableMediaType(String type) {
		String cut = (type.length() > 64) ? type.substring(0, 64) + "..." : type;
		return cut.replaceAll("[^A-Za-z0-9/._+;=-]", "?");
	}

	/**
	 * What is wrong with a body Jackson could not read, in words a client can act on. The
	 * caller's text is never quoted (a key pasted without quotes would be): only the
	 * position, a field name, and for some errors the one punctuation character found.
	 */
	private static String unreadableDetail(JacksonException jackson, String message) {
		if (jackson == null) {
			return "The request body is missing or unreadable; " + Problems.SEND_JSON;
		}
		if (jackson instanceof StreamConstraintsException) {
			return "The request body is nested too deeply, or has a string, number or name that is too long";
		}
		if (message != null) {
			return "The request body has the wrong shape: it " + message;
		}
		if (jackson instanceof StreamReadException) {
			return "The request body is not valid JSON: " + syntaxError(jackson);
		}
		return "The request body is not valid JSON";
	}

	/**
	 * What is wrong with a field Jackson refused, or null when the body is not JSON at
	 * all.
	 */
	private static String fieldMessage(JacksonException jackson) {
		if (jackson instanceof UnrecognizedPropertyException unknown) {
			String known = unknown.getKnownPropertyIds()
				.stream()
				.map(String::valueOf)
				.sorted()
				.collect(Collectors.joining(", "));
			return "is not a field of this request" + (known.isEmpty() ? "" : "; the fields are " + known);
		}
		if (jackson instanceof MismatchedInputException mismatched) {
			return expected(mismatched.getTargetType());
		}
		return null;
	}

	private static String syntaxError(JacksonException jackson) {
		String message = String.valueOf(jackson.getOriginalMessage());
		TokenStreamLocation location = jackson.getLocation();
		String at = (location != null && location.getLineNr() > 0)
				? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "";
		Matcher control = CONTROL_CHARACTER.matcher(message);
		if (control.find()) {
			return "a raw control character (code " + control.group(1) + ") inside a string" + at
					+ "; escape it: a line end as \\n, a tab as \\t, others as \\u00XX";
		}
		if (jackson instanceof UnexpectedEndOfInputException) {
			return "the body ends before the JSON is complete" + at;
		}
		Matcher unexpected = UNEXPECTED.matcher(message);
		String found = unexpected.find() ? unexpected.group(1) : null;
		if ("}".equals(found) || "]".equals(found)) {
			return "'" + found + "'" + at + " where a " + ("}".equals(found) ? "field name" : "value")
					+ " was expected; a trailing comma is not allowed";
		}
		if ("'".equals(found)) {
			return "a single quote" + at + "; names and strings take double quotes";
		}
		if (message.startsWith("Unrecognized token")) {
			return "a word that is not a JSON value" + at + "; strings take double quotes";
		}
		if (message.contains("was expecting comma")) {
			return "a missing ','" + at;
		}
		if (message.contains("was expecting a colon")) {
			return "a missing ':' after a field name" + at;
		}
		if (message.startsWith("Unrecognized character escape")) {
			return "an invalid escape sequence in a string" + at
					+ "; the escapes are \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t and \\u00XX";
		}
		return "unexpected input" + at;
	}

	private static String expected(Class<?> type) {
		if (type == null) {
			return "has the wrong type or format";
		}
		if (type == String.class) {
			return "must be a string";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "must be true or false";
		}
		if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != char.class)) {
			return "must be a number";
		}
		if (type == Instant.class || type == OffsetDateTime.class) {
			return "must be a date-time such as 2026-01-31T12:00:00Z";
		}
		if (type.isEnum()) {
			return "must be one of " + Arrays.stream(type.getEnumConstants())
				.map(ApiExceptionHandler::jsonValue)
				.collect(Collectors.joining(", "));
		}
		if (type.isArray() || Collection.class.isAssignableFrom(type)) {
			return "must be a list";
		}
		return "must be an object";
	}

	/**
	 * An enum constant as JSON spells it: its {@code @JsonValue}, else its name.
	 */
	private static String jsonValue(Object constant) {
		for (Method method : constant.getClass().getMethods()) {
			if (method.isAnnotationPresent(JsonValue.class) && method.getParameterCount() == 0) {
				try {
					return String.valueOf(method.invoke(constant));
				}
				catch (ReflectiveOperationException ex) {
					break;
				}
			}
		}
		return ((Enum<?>) constant).name();
	}

	/**
	 * The caller's version value, cut to a length and alphabet that is safe to echo.
	 */
	private static String printable(String version) {
		if (version == null) {
			return "";
		}
		String cut = (version.length() > 32) ? version.substring(0, 32) + "..." : version;
		return cut.replaceAll("[^A-Za-z0-9._+-]", "?");
	}

	private static Map<String, String> fieldError(String field, String message) {
		Map<String, String> error = new LinkedHashMap<>();
		error.put("field", field);
		error.put("message", (message != null) ? message : "is invalid");
		return error;
	}

	private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
		return causeOf(ex, type) != null;
	}

	private static <T extends Throwable> T causeOf(Throwable ex, Class<T> type) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return null;
	}

	private static HttpServletRequest servletRequest(WebRequest request) {
		return (request instanceof NativeWebRequest nativeRequest)
				? nativeRequest.getNativeRequest(HttpServletRequest.class) : null;
	}

}
