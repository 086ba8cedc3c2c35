package io.puraifi.enginecontrol.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses what Spring MVC would otherwise fail on with 500, or misread: a
 * {@code Content-Type} that is not one concrete, parseable media type (415), an
 * {@code Accept} that is not a list of media types, or on a write, excludes JSON (406),
 * and (400) a request path that is not in its one plain form: dot segments ({@code /./},
 * {@code /../}, also percent-encoded), empty segments ({@code //}), path parameters
 * ({@code ;}), percent-encoded characters that no endpoint uses, and control characters.
 * Every later decision (which paths need no credentials, which are for the operator)
 * reads the path as sent, so it must mean what it says: without this,
 * {@code /actuator/health/../prometheus} passed as a health request and failed with 500.
 */
@Component
@Order(FilterOrder.MALFORMED_REQUEST)
class MalformedRequestFilter extends OncePerRequestFilter {

	/**
	 * At most this many media types in {@code Accept}: a browser sends about 8, and with
	 * 51 Spring MVC gave up after the controller ran (a write made, then answered 406).
	 */
	static final int MAX_ACCEPTED_TYPES = 20;

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
					"Content-Type must be one concrete media type: " + Problems.SEND_JSON);
			return;
		}
		List<MediaType> accepted = acceptedTypes(request.getHeaders(HttpHeaders.ACCEPT));
		if (accepted == null) {
			this.problems.write(request, response, ProblemType.NOT_ACCEPTABLE,
					"Accept must list 1 to " + MAX_ACCEPTED_TYPES + " media types, such as application/json, "
							+ "and no charset but UTF-8, in which every answer is written");
			return;
		}
		if (!isRead(request.getMethod()) && !acceptsAnswer(request.getMethod(), accepted)) {
			this.problems.write(request, response, ProblemType.NOT_ACCEPTABLE,
					"This request answers with application/json, which Accept excludes; it was refused "
							+ "before anything was done: send Accept: application/json, or no Accept");
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * The media types of every {@code Accept} header (none if there is none), or null if
	 * one is not a list of at least one media type, if there are more than
	 * {@value #MAX_ACCEPTED_TYPES} in all, or if one names a charset other than UTF-8.
	 * Each of these made Spring MVC or the actuator fail with 500, or answer 406 without
	 * a body: a leading quote ({@code "a/b}, Spring's parser throws), no types
	 * ({@code ,,,} or blank), a type that does not parse ({@code *}{@code /*;q=abc}), and
	 * {@code application/json;charset=ISO-8859-1}, which Jackson cannot write.
	 */
	static List<MediaType> acceptedTypes(Enumeration<String> accepts) {
		if (!accepts.hasMoreElements()) {
			return List.of();
		}
		List<MediaType> types = new ArrayList<>();
		while (accepts.hasMoreElements()) {
			try {
				List<MediaType> listed = MediaType.parseMediaTypes(accepts.nextElement());
				for (MediaType type : listed) {
					if (type.getCharset() != null && !StandardCharsets.UTF_8.equals(type.getCharset())) {
						return null;
					}
				}
				if (listed.isEmpty() || types.size() + listed.size() > MAX_ACCEPTED_TYPES) {
					return null;
				}
				types.addAll(listed);
			}
			catch (RuntimeException ex) {
				return null;
			}
		}
		return types;
	}

	/**
	 * Whether a JSON answer is acceptable. Spring MVC negotiates the answer after the
	 * controller ran, so a write with {@code Accept: text/html} was made (an engine
	 * registered, its key never shown) and then answered 406. Writes are checked here,
	 * before anything happens; reads keep Spring's negotiation.
	 */
	static boolean acceptsJson(List<MediaType> accepted) {
		return accepts(accepted, MediaType.APPLICATION_JSON);
	}

	/**
	 * Whether a write's answers are acceptable. Every {@code DELETE} answers 204 with no
	 * body when it succeeds, so only its problem+json errors need admitting: a generated
	 * client sends {@code Accept: application/problem+json} there, the one media type its
	 * description lists for the operation.
	 */
	static boolean acceptsAnswer(String method, List<MediaType> accepted) {
		return acceptsJson(accepted)
				|| (method.equals("DELETE") && accepts(accepted, MediaType.APPLICATION_PROBLEM_JSON));
	}

	private static boolean accepts(List<MediaType> accepted, MediaType answer) {
		if (accepted.isEmpty()) {
			return true;
		}
		for (MediaType type : accepted) {
			if (type.getQualityValue() > 0 && type.includes(answer)) {
				return true;
			}
		}
		return false;
	}

	private static boolean isRead(String method) {
		return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
	}

	/**
	 * Whether a {@code Content-Type} is absent or one media type without wildcards, or
	 * one that Spring MVC itself refuses properly. Spring MVC throws on
	 * {@code *}{@code /*} instead of answering 415, and Spring's parser throws
	 * {@code StringIndexOutOfBoundsException} on a type that starts with a quote
	 * ({@code "a/b}); a type it reports as invalid is left to Spring MVC, which answers
	 * 415 when there is a body and ignores it when there is none.
	 */
	static boolean isConcreteMediaType(String contentType) {
		if (contentType == null) {
			return true;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return !type.isWildcardType() && !type.isWildcardSubtype();
		}
		catch (InvalidMediaTypeException ex) {
			return true;
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
