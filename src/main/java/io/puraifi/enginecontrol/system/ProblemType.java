package io.puraifi.enginecontrol.system;

import java.net.URI;

import org.springframework.http.HttpStatus;

/**
 * The kinds of error Engine Control answers with, each with a stable type URI and title.
 */
public enum ProblemType {

	INVALID_REQUEST(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request"),

	UNSUPPORTED_API_VERSION(HttpStatus.BAD_REQUEST, "unsupported-api-version", "Unsupported API version"),

	UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required"),

	FORBIDDEN(HttpStatus.FORBIDDEN, "forbidden", "Forbidden"),

	ENGINE_SUSPENDED(HttpStatus.FORBIDDEN, "engine-suspended", "Engine suspended"),

	ENGINE_REVOKED(HttpStatus.FORBIDDEN, "engine-revoked", "Engine revoked"),

	NOT_FOUND(HttpStatus.NOT_FOUND, "not-found", "Not found"),

	METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),

	NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable"),

	CONFLICT(HttpStatus.CONFLICT, "conflict", "Conflict"),

	PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request body too large"),

	UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type"),

	TOO_MANY_REQUESTS(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", "Too many failed attempts"),

	/**
	 * The calling engine sent more than its budget of checks, events or validations.
	 */
	BUDGET_EXCEEDED(HttpStatus.TOO_MANY_REQUESTS, "budget-exceeded", "Request budget exceeded"),

	UNKNOWN_CAPABILITIES(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-capabilities", "Unknown platforms or actions"),

	INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error"),

	SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable"),

	/**
	 * The store cannot be reached, and the answer needs it (or cached state is too old).
	 */
	STORE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "Store unavailable");

	private static final String BASE = "https://puraifi.io/problems/engine-control/";

	private final HttpStatus status;

	private final URI type;

	private final String title;

	ProblemType(HttpStatus status, String slug, String title) {
		this.status = status;
		this.type = URI.create(BASE + slug);
		this.title = title;
	}

	public HttpStatus status() {
		return this.status;
	}

	public URI type() {
		return this.type;
	}

	public String title() {
		return this.title;
	}

	/**
	 * The problem type for an error status raised by the framework or the container.
	 * @param status the HTTP status code
	 * @return the matching type, {@link #INTERNAL_ERROR} for unknown 5xx and
	 * {@link #INVALID_REQUEST} for unknown 4xx
	 */
	public static ProblemType forStatus(int status) {
		for (ProblemType candidate : values()) {
			if (candidate.status.value() == status && candidate != ENGINE_SUSPENDED && candidate != ENGINE_REVOKED
					&& candidate != UNKNOWN_CAPABILITIES && candidate != UNSUPPORTED_API_VERSION
					&& candidate != BUDGET_EXCEEDED) {
				return candidate;
			}
		}
		return (status >= 500) ? INTERNAL_ERROR : INVALID_REQUEST;
	}

}
