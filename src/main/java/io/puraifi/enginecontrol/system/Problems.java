package io.puraifi.enginecontrol.system;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Builds problem details (RFC 9457) that carry the request id, and writes them from
 * filters, which run outside Spring MVC's exception handling.
 */
@Component
public class Problems {

	/** How to fix a body in another media type; every 415 ends with it. */
	public static final String SEND_JSON = "send the body as JSON, with Content-Type: application/json";

	private final JsonMapper jsonMapper;

	Problems(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/**
	 * A problem of the given type for the current request.
	 * @param type the kind of problem
	 * @param detail what went wrong, safe to show to the caller
	 * @param request the current request, for its id
	 * @return the problem detail
	 */
	public static ProblemDetail of(ProblemType type, String detail, HttpServletRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
		decorate(problem, type, request);
		return problem;
	}

	/**
	 * Sets the stable type, title and request id on a problem detail.
	 * @param problem the problem to complete
	 * @param type the kind of problem
	 * @param request the current request, for its id
	 */
	public static void decorate(ProblemDetail problem, ProblemType type, HttpServletRequest request) {
		problem.setType(type.type());
		problem.setTitle(type.title());
		Object requestId = (request != null) ? request.getAttribute(RequestIdFilter.ATTRIBUTE) : null;
		if (requestId != null) {
			problem.setProperty("request_id", requestId);
		}
	}

	/**
	 * Writes a problem as the whole response.
	 * @param request the current request
	 * @param response the response to write
	 * @param type the kind of problem
	 * @param detail what went wrong, safe to show to the caller
	 * @throws IOException if the response cannot be written
	 */
	public void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail)
			throws IOException {
		ProblemDetail problem = of(type, detail, request);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", problem.getType().toString());
		body.put("title", problem.getTitle());
		body.put("status", problem.getStatus());
		body.put("detail", problem.getDetail());
		body.put("instance", request.getRequestURI());
		if (problem.getProperties() != null) {
			body.putAll(problem.getProperties());
		}
		response.setStatus(type.status().value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.jsonMapper.writeValue(response.getOutputStream(), body);
	}

	/**
	 * A Java property name as the API spells it: {@code actionType} becomes
	 * {@code action_type}.
	 * @param name the Java name (or a property path)
	 * @return the snake_case name
	 */
	public static String snakeCase(String name) {
		StringBuilder result = new StringBuilder(name.length() + 4);
		for (char c : name.toCharArray()) {
			if (Character.isUpperCase(c)) {
				result.append('_').append(Character.toLowerCase(c));
			}
			else {
				result.append(c);
			}
		}
		return result.toString();
	}

}
