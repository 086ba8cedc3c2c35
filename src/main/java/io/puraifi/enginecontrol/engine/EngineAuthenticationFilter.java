package io.puraifi.enginecontrol.engine;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import io.puraifi.enginecontrol.system.FilterOrder;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;
import io.puraifi.enginecontrol.system.Problems;
import io.puraifi.enginecontrol.system.StoreErrors;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every request from {@code X-Engine-ID} and {@code X-Engine-Key}, except
 * health, the API description and the console's static files (whose API calls are
 * authenticated like any other). Missing or wrong credentials get 401, the same for an
 * unknown engine and a wrong key; a suspended or revoked engine gets 403;
 * {@code /actuator} and paths under {@code /admin/} and {@code /actuator/} are for the
 * operator only. One request passes without engine credentials:
 * {@code POST /engines/register} with an {@code X-Enrollment-Token} and neither engine
 * header, whose token the registration itself checks.
 * <p>
 * Failed attempts are limited ({@link AuthenticationLimits}), failing ones only: once a
 * client address ({@link ClientAddresses}), or an engine id from that address, has used
 * up its failures, a right key of a known engine still gets in, and a wrong one gets 429
 * with {@code Retry-After}. Past the limit the store is asked only about ids this replica
 * has not cached, and only while the address has not used up its lookups of unknown ids;
 * otherwise the attempt gets 429 unlooked. Bad enrollment tokens are counted apart, per
 * address.
 */
@Component
@Order(FilterOrder.ENGINE_AUTHENTICATION)
class EngineAuthenticationFilter extends OncePerRequestFilter {

	static final String ENGINE_ID_HEADER = "X-Engine-ID";

	static final String ENGINE_KEY_HEADER = "X-Engine-Key";

	static final String ENROLLMENT_TOKEN_HEADER = "X-Enrollment-Token";

	static final String MDC_KEY = "engine_id";

	private static final Logger log = LoggerFactory.getLogger(EngineAuthenticationFilter.class);

	private static final int MAX_KEY_LENGTH = 256;

	private final EngineRegistry registry;

	private final Problems problems;

	private final MeterRegistry meters;

	private final AuthenticationLimits limits;

	EngineAuthenticationFilter(EngineRegistry registry, Problems problems, AuthenticationLimits limits,
			ObjectProvider<MeterRegistry> meters) {
		this.registry = registry;
		this.problems = problems;
		this.limits = limits;
		this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
		for (String cause : List.of("missing_credentials", "invalid_credentials", "engine_suspended", "engine_revoked",
				"not_operator")) {
			failures(cause);
		}
	}

	private Counter failures(String cause) {
		return Counter.builder("engine.control.authentication.failures")
			.description("Requests refused by authentication, by cause")
			.tag("cause", cause)
			.register(this.meters);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return path.equals("/actuator/health") || path.startsWith("/actuator/health/")
				|| path.startsWith("/v3/api-docs") || path.startsWith("/swagger-ui") || path.equals("/console")
				|| path.startsWith("/console/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String engineId = request.getHeader(ENGINE_ID_HEADER);
		String key = request.getHeader(ENGINE_KEY_HEADER);
		String address = this.limits.clientAddress(request);
		if (engineId == null && key == null && isEnrollment(request)) {
			Optional<Duration> wait = this.limits.enrollmentBlocked(address);
			if (wait.isPresent()) {
				tooManyAttempts(request, response, wait.get());
				return;
			}
			chain.doFilter(request, response);
			if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
				this.limits.enrollmentFailed(address);
			}
			return;
		}
		if (engineId == null || key == null || engineId.isEmpty() || key.isEmpty()) {
			unauthenticated(request, response, "missing_credentials",
					"Send X-Engine-ID and X-Engine-Key with every request");
			return;
		}
		boolean wellFormed = isEngineId(engineId);
		// A malformed id or an over-long key is refused without a lookup: no engine can
		// have it, and the shape of ids and keys is public, so its timing tells nothing.
		boolean checkable = wellFormed && key.length() <= MAX_KEY_LENGTH;
		// A malformed id is counted under one name: the limiter keeps nothing the caller
		// chose beyond a valid engine id.
		String limitedId = wellFormed ? engineId : "";
		Optional<Duration> wait = this.limits.credentialsBlocked(address, limitedId);
		boolean cached = checkable && this.registry.isCached(engineId);
		// Past the limit a registered engine is always looked up: its right key gets in.
		boolean known = cached || (checkable && this.registry.isRegistered(engineId));
		if (wait.isPresent() && !known && (!checkable || this.limits.lookupsBlocked(address).isPresent())) {
			this.limits.credentialsRefused();
			tooManyAttempts(request, response, wait.get());
			return;
		}
		Optional<Engine> engine;
		try {
			engine = checkable ? this.registry.authenticate(engineId, key) : Optional.empty();
		}
		catch (RuntimeException ex) {
			if (!StoreErrors.isOutage(ex)) {
				throw ex;
			}
			// Not cached, and the store cannot say: nobody is let in on a guess.
			log.atWarn().addKeyValue("cause", "store_unavailable").log("request refused");
			response.setHeader(HttpHeaders.RETRY_AFTER, "5");
			this.problems.write(request, response, ProblemType.STORE_UNAVAILABLE,
					"The store cannot be reached and this replica has not cached engine '" + engineId
							+ "', so it cannot authenticate it; retry later");
			return;
		}
		if (engine.isEmpty()) {
			this.limits.credentialsFailed(address, limitedId,
					checkable && !cached && this.registry.isKnownUnknown(engineId));
			if (wait.isPresent()) {
				this.limits.credentialsRefused();
				tooManyAttempts(request, response, wait.get());
			}
			else {
				unauthenticated(request, response, "invalid_credentials", "The engine id or key is not valid");
			}
			return;
		}
		MDC.put(MDC_KEY, engineId);
		if (engine.get().isRevoked()) {
			refuse(request, response, "engine_revoked", ProblemType.ENGINE_REVOKED,
					"Engine '" + engineId + "' is revoked");
			return;
		}
		if (!engine.get().isActive()) {
			refuse(request, response, "engine_suspended", ProblemType.ENGINE_SUSPENDED,
					"Engine '" + engineId + "' is suspended");
			return;
		}
		// The registry's copy of the id, not the header's: the caches keyed by it hold
		// one string per engine, and equals matches it by identity without reading it.
		// The slot's lookup finds the entry authenticate has just read, in the CPU cache.
		String id = engine.get().engineId();
		AuthenticatedEngine principal = new AuthenticatedEngine(id, engine.get().role(), this.registry.slot(id));
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!principal.isAdmin()
				&& (path.startsWith("/admin/") || path.equals("/actuator") || path.startsWith("/actuator/"))) {
			refuse(request, response, "not_operator", ProblemType.FORBIDDEN,
					"This operation is reserved for operators");
			return;
		}
		request.setAttribute(AuthenticatedEngine.ATTRIBUTE, principal);
		chain.doFilter(request, response);
	}

	/**
	 * Whether the id matches {@link io.puraifi.enginecontrol.system.Names#ENGINE_ID},
	 * without a regex: this runs on every request
	 * ({@code EngineAuthenticationFilterTests} compares the two).
	 */
	static boolean isEngineId(String id) {
		int length = id.length();
		if (length < 2 || length > 64 || id.charAt(0) < 'a' || id.charAt(0) > 'z') {
			return false;
		}
		for (int i = 1; i < length; i++) {
			char c = id.charAt(i);
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
				return false;
			}
		}
		return true;
	}

	private static boolean isEnrollment(HttpServletRequest request) {
		String token = request.getHeader(ENROLLMENT_TOKEN_HEADER);
		return "POST".equals(request.getMethod()) && token != null && !token.isEmpty()
				&& request.getRequestURI().substring(request.getContextPath().length()).equals("/engines/register");
	}

	private void tooManyAttempts(HttpServletRequest request, HttpServletResponse response, Duration wait)
			throws IOException {
		log.atWarn().addKeyValue("cause", "too_many_failures").log("request refused");
		response.setHeader("Retry-After", ProblemException.retryAfterSeconds(wait));
		this.problems.write(request, response, ProblemType.TOO_MANY_REQUESTS,
				"Too many failed attempts; retry after " + ProblemException.retryAfterSeconds(wait) + " s");
	}

	/** Refuses an authenticated caller with 403: counted, logged once, answered. */
	private void refuse(HttpServletRequest request, HttpServletResponse response, String cause, ProblemType type,
			String detail) throws IOException {
		failures(cause).increment();
		log.atWarn().addKeyValue("cause", cause).log("request refused");
		this.problems.write(request, response, type, detail);
	}

	private void unauthenticated(HttpServletRequest request, HttpServletResponse response, String cause, String detail)
			throws IOException {
		failures(cause).increment();
		String claimed = request.getHeader(ENGINE_ID_HEADER);
		log.atWarn()
			.addKeyValue("cause", cause)
			.addKeyValue("claimed_engine_id", (claimed != null && isEngineId(claimed)) ? claimed : null)
			.log("authentication failed");
		response.setHeader("WWW-Authenticate", "EngineKey realm=\"engine-control\"");
		this.problems.write(request, response, ProblemType.UNAUTHENTICATED, detail);
	}

}
