package io.puraifi.enginecontrol.system;

import org.springframework.core.Ordered;

/**
 * The order of this service's servlet filters, first to last: each {@code @Order} and
 * {@code setOrder} uses one of these, so the chain is read in one place. Spring Boot's
 * own filters (character encoding, observation, request context) keep their orders.
 */
public final class FilterOrder {

	/** First: every later filter's log lines and problem bodies carry the request id. */
	public static final int REQUEST_ID = Ordered.HIGHEST_PRECEDENCE;

	/**
	 * The console's security headers, before any filter can answer, so that the console's
	 * error answers carry its Content-Security-Policy too.
	 */
	public static final int CONSOLE_HEADERS = Ordered.HIGHEST_PRECEDENCE + 1;

	/**
	 * Malformed paths and media types are refused before anything reads them: every later
	 * decision (public paths, operator paths) reads the path as sent.
	 */
	public static final int MALFORMED_REQUEST = Ordered.HIGHEST_PRECEDENCE + 2;

	/**
	 * Wraps every actuator request that is well formed, around authentication and the
	 * actuator, so that it sees the final status of a bodiless error and can give it a
	 * problem body.
	 */
	public static final int ACTUATOR_PROBLEM = Ordered.HIGHEST_PRECEDENCE + 3;

	/**
	 * {@code API-Version} on the response before the body limit and authentication can
	 * answer, so that their problems carry it too.
	 */
	public static final int API_VERSION_HEADER = Ordered.HIGHEST_PRECEDENCE + 5;

	/**
	 * Before authentication and everything that reads a body: a declared length over the
	 * limit is refused before any credential is checked, and no body read later (an
	 * enrollment's included) grows past the limit.
	 */
	public static final int BODY_SIZE_LIMIT = Ordered.HIGHEST_PRECEDENCE + 10;

	/**
	 * Every earlier refusal costs no key hash and no store lookup, and its problems carry
	 * the request id and {@code API-Version}.
	 */
	public static final int ENGINE_AUTHENTICATION = Ordered.HIGHEST_PRECEDENCE + 20;

	/**
	 * Right after authentication, before Spring Boot's request-context filter: the plain
	 * single check is answered here, without Spring MVC's dispatch (see
	 * {@code CheckFastPath}); every other request goes on.
	 */
	public static final int CHECK_FAST_PATH = Ordered.HIGHEST_PRECEDENCE + 21;

	private FilterOrder() {
	}

}
