package io.puraifi.enginecontrol.system;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.NestedRuntimeException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.TransactionException;
import org.springframework.validation.FieldError;
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
			errors.add(fieldError(Problems.snakeCase(error.getField()), error.getDefaultMessage()));
		}
		ex.getBindingResult()
			.getGlobalErrors()
			.forEach((error) -> errors.add(fieldError(error.getObjectName(), error.getDefaultMessage())));
		return invalid("The request body is invalid", errors, request);
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
				String field = (error instanceof FieldError fieldError) ? Problems.snakeCase(fieldError.getField())
						: name;
				errors.add(fieldError(field, error.getDefaultMessage()));
			}
		});
		return invalid("The request is invalid", errors, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (causedBy(ex, BodySizeLimitFilter.BodyTooLargeException.class)) {
			ProblemDetail problem = Problems.of(ProblemType.PAYLOAD_TOO_LARGE,
					causeOf(ex, BodySizeLimitFilter.BodyTooLargeException.class).getMessage(), servletRequest(request));
			return ResponseEntity.status(problem.getStatus()).body(problem);
		}
		return invalid(unreadableDetail(ex), List.of(), request);
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

	private static String unreadableDetail(HttpMessageNotReadableException ex) {
		JacksonException jackson = causeOf(ex, JacksonException.class);
		if (jackson == null) {
			return "The request body is missing or unreadable";
		}
		String field = jackson.getPath()
			.stream()
			.map((reference) -> (reference.getPropertyName() != null) ? reference.getPropertyName()
					: "[" + reference.getIndex() + "]")
			.collect(Collectors.joining("."));
		if (jackson instanceof StreamConstraintsException) {
			return "The request body is nested too deeply, or has a string, number or name that is too long";
		}
		if (jackson instanceof UnrecognizedPropertyException unknown) {
			return "Unknown field '" + printable(unknown.getPropertyName()) + "'";
		}
		if (jackson instanceof InvalidFormatException || jackson instanceof MismatchedInputException) {
			return field.isEmpty() ? "The request body has the wrong shape"
					: "Field '" + field + "' has the wrong type or format";
		}
		return "The request body is not valid JSON";
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
