package io.puraifi.enginecontrol.engine;

import java.io.IOException;
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

import io.puraifi.enginecontrol.system.ProblemType;
import io.puraifi.enginecontrol.system.Problems;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every request from {@code X-Engine-ID} and {@code X-Engine-Key}, except
 * health, info and the API description. Missing or wrong credentials get 401, the same
 * for an unknown engine and a wrong key; a suspended or revoked engine gets 403; paths
 * under {@code /admin/} and {@code /actuator/} are for the operator only. One request
 * passes without engine credentials: {@code POST /engines/register} with an
 * {@code X-Enrollment-Token} and neither engine header, whose token the registration
 * itself checks.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
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

	EngineAuthenticationFilter(EngineRegistry registry, Problems problems, ObjectProvider<MeterRegistry> meters) {
		this.registry = registry;
		this.problems = problems;
		this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
		for (String cause : List.of("missing_credentials", "invalid_credentials", "engine_suspended", "not_operator")) {
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
		return path.equals("/actuator/health") || path.startsWith("/actuator/health/") || path.equals("/actuator/info")
				|| path.startsWith("/v3/api-docs") || path.startsWith("/swagger-ui");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String engineId = request.getHeader(ENGINE_ID_HEADER);
		String key = request.getHeader(ENGINE_KEY_HEADER);
		if (engineId == null && key == null && isEnrollment(request)) {
			chain.doFilter(request, response);
			return;
		}
		if (engineId == null || key == null || engineId.isEmpty() || key.isEmpty()) {
			unauthenticated(request, response, "missing_credentials",
					"Send X-Engine-ID and X-Engine-Key with every request");
			return;
		}
		Optional<Engine> engine = (isEngineId(engineId) && key.length() <= MAX_KEY_LENGTH)
				? this.registry.authenticate(engineId, key) : Optional.empty();
		if (engine.isEmpty()) {
			unauthenticated(request, response, "invalid_credentials", "The engine id or key is not valid");
			return;
		}
		MDC.put(MDC_KEY, engineId);
		if (engine.get().isRevoked()) {
			log.atWarn().addKeyValue("cause", "engine_revoked").log("request refused");
			this.problems.write(request, response, ProblemType.ENGINE_REVOKED, "Engine '" + engineId + "' is revoked");
			return;
		}
		if (!engine.get().isActive()) {
			failures("engine_suspended").increment();
			log.atWarn().addKeyValue("cause", "engine_suspended").log("request refused");
			this.problems.write(request, response, ProblemType.ENGINE_SUSPENDED,
					"Engine '" + engineId + "' is suspended");
			return;
		}
		AuthenticatedEngine principal = new AuthenticatedEngine(engineId, engine.get().role());
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!principal.isAdmin() && (path.startsWith("/admin/") || path.startsWith("/actuator/"))) {
			failures("not_operator").increment();
			log.atWarn().addKeyValue("cause", "not_operator").log("request refused");
			this.problems.write(request, response, ProblemType.FORBIDDEN, "This operation is reserved for operators");
			return;
		}
		request.setAttribute(AuthenticatedEngine.ATTRIBUTE, principal);
		chain.doFilter(request, response);
	}

	/** Whether the id matches {@code ^[a-z][a-z0-9_-]{1,63}$}, without a regex. */
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
