package io.puraifi.enginecontrol.system;

import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;

import org.springframework.http.ProblemDetail;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors the servlet container raises outside Spring MVC: a 415 says to send JSON, like
 * every other 415.
 */
class ProblemErrorControllerTests {

	@Test
	void containerUnsupportedMediaTypeSaysToSendJson() {
		ProblemDetail problem = answer(415);
		assertThat(problem.getStatus()).isEqualTo(415);
		assertThat(problem.getDetail()).isEqualTo("Unsupported media type: " + Problems.SEND_JSON)
			.contains("Content-Type: application/json");
	}

	@Test
	void containerServerErrorShowsNoInternals() {
		assertThat(answer(503).getDetail()).isEqualTo("An unexpected error occurred");
	}

	private static ProblemDetail answer(int status) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/error");
		request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
		return new ProblemErrorController().error(request).getBody();
	}

}
