package io.puraifi.enginecontrol.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses what Spring MVC would otherwise fail on with 500, or misread: a
 * {@code Content-Type} that is not one concrete, parseable media type (415), and (400) a
 * request path that is not in its one plain form: dot segments ({@code /./},
 * {@code /../}, also percent-encoded), empty segments ({@code //}), path parameters
 * ({@code ;}), percent-encoded characters that no endpoint uses, and control characters.
 * Every later decision (which paths need no credentials, which are for the operator)
 * reads the path as sent, so it must mean what it says: without this,
 * {@code /actuator/health/../prometheus} passed as a health request and failed with 500.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class MalformedRequestFilter extends OncePerRequestFilter {

	private final Problems problems;

	MalformedRequestFilter(Problems problems) {
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!isCanonical(request.getRequestURI())) {
			this.problems.write(request, response, ProblemType.INVALID_REQUEST,
					"The request path must not contain dot segments, empty segments, ';', "
							+ "percent-encoded or control characters");
			return;
		}
		if (!isConcreteMediaType(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
			this.problems.write(request, response, ProblemType.UNSUPPORTED_MEDIA_TYPE,
					"Content-Type must be one concrete media type, such as application/json");
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * Whether a {@code Content-Type} is absent or one media type without wildcards.
	 * Spring MVC throws on {@code *}{@code /*} instead of answering 415, and Spring's
	 * parser itself throws {@code StringIndexOutOfBoundsException} on a type that starts
	 * with a quote ({@code "a/b}), so anything that does not parse is refused here too.
	 */
	static boolean isConcreteMediaType(String contentType) {
		if (contentType == null) {
			return true;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return !type.isWildcardType() && !type.isWildcardSubtype();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	static boolean isCanonical(String path) {
		if (path == null || path.isEmpty() || path.charAt(0) != '/') {
			return false;
		}
		int segmentStart = 1;
		for (int i = 1; i <= path.length(); i++) {
			if (i == path.length() || path.charAt(i) == '/') {
				String segment = path.substring(segmentStart, i);
				boolean last = i == path.length();
				if ((segment.isEmpty() && !last) || segment.equals(".") || segment.equals("..")) {
					return false;
				}
				segmentStart = i + 1;
				continue;
			}
			char c = path.charAt(i);
			if (c < 0x21 || c > 0x7e || c == ';' || c == '%' || c == '\\') {
				return false;
			}
		}
		return true;
	}

}
