package io.puraifi.enginecontrol.permission;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * The two check endpoints are timed and counted by the decision's own meters
 * ({@code engine_control_check_duration_seconds},
 * {@code engine_control_check_latency_seconds}, {@code engine_control_decisions_total}),
 * not by the generic HTTP server observation ({@code http_server_requests_seconds}): on
 * the busiest path of the service that observation (its key values, tags and the
 * active-requests long-task timer) cost more than the decision itself (see
 * BENCHMARKS.md). Every other request is observed as before, a request to a check path
 * that is not a POST (a 405) too.
 */
@Configuration(proxyBeanMethods = false)
class CheckObservationConfiguration {

	/** The name of Spring MVC's HTTP server observation. */
	static final String HTTP_SERVER_REQUESTS = "http.server.requests";

	@Bean
	ObservationPredicate checksNotObservedAsHttpServerRequests() {
		return CheckObservationConfiguration::observed;
	}

	static boolean observed(String name, Observation.Context context) {
		if (!HTTP_SERVER_REQUESTS.equals(name) || !(context instanceof ServerRequestObservationContext server)) {
			return true;
		}
		return !isCheck(server.getCarrier());
	}

	private static boolean isCheck(HttpServletRequest request) {
		if (request == null || !"POST".equals(request.getMethod())) {
			return false;
		}
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return CheckController.CHECK_PATH.equals(path) || CheckController.BATCH_PATH.equals(path);
	}

}
