package io.puraifi.enginecontrol.permission;

import io.micrometer.observation.Observation;
import org.junit.jupiter.api.Test;

import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class CheckObservationConfigurationTests {

	@Test
	void postToTheCheckOrTheBatchCheckIsNotObserved() {
		assertThat(observed("POST", "/actions/check")).isFalse();
		assertThat(observed("POST", "/actions/check/batch")).isFalse();
	}

	@Test
	void otherRequestsAreObserved() {
		assertThat(observed("GET", "/actions/check")).isTrue();
		assertThat(observed("POST", "/actions/check/")).isTrue();
		assertThat(observed("POST", "/actions/checks")).isTrue();
		assertThat(observed("POST", "/actions/check/batch/x")).isTrue();
		assertThat(observed("POST", "/log/engine_event")).isTrue();
		assertThat(observed("GET", "/config/global")).isTrue();
	}

	@Test
	void otherObservationsOfACheckAreKept() {
		ServerRequestObservationContext context = context("POST", "/actions/check");
		assertThat(CheckObservationConfiguration.observed("jdbc.query", context)).isTrue();
		assertThat(CheckObservationConfiguration.observed("http.server.requests", new Observation.Context())).isTrue();
	}

	private static boolean observed(String method, String path) {
		return CheckObservationConfiguration.observed("http.server.requests", context(method, path));
	}

	private static ServerRequestObservationContext context(String method, String path) {
		return new ServerRequestObservationContext(new MockHttpServletRequest(method, path),
				new MockHttpServletResponse());
	}

}
