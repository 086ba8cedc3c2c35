package io.puraifi.enginecontrol.system;

import jakarta.servlet.RequestDispatcher;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers errors that the servlet container raises outside Spring MVC (a failing filter,
 * a rejected request) with {@code application/problem+json} instead of the default error
 * page. Not part of the API description: its answers are the error responses that the
 * description lists on each operation.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		int status = (code instanceof Integer value && value >= 400) ? value : 500;
		ProblemType type = ProblemType.forStatus(status);
		String detail = (status >= 500) ? "An unexpected error occurred"
				: (status == 415) ? type.title() + ": " + Problems.SEND_JSON : type.title();
		ProblemDetail problem = Problems.of(type, detail, request);
		problem.setStatus(status);
		return ResponseEntity.status(status).body(problem);
	}

}
