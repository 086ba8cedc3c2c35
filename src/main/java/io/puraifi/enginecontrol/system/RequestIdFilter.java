package io.puraifi.enginecontrol.system;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id: the caller's {@code X-Request-ID} when it is sane, else a
 * new UUID. The id is echoed in the response, put into the logging context as
 * {@code request_id} and kept as a request attribute for error bodies.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter extends OncePerRequestFilter {

	/** Request and response header carrying the request id. */
	public static final String HEADER = "X-Request-ID";

	/** Request attribute holding the request id. */
	public static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

	/** Logging context key of the request id. */
	public static final String MDC_KEY = "request_id";

	private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,128}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String requestId = requestId(request.getHeader(HEADER));
		request.setAttribute(ATTRIBUTE, requestId);
		response.setHeader(HEADER, requestId);
		MDC.put(MDC_KEY, requestId);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.clear();
		}
	}

	static String requestId(String offered) {
		if (offered != null && SANE.matcher(offered).matches()) {
			return offered;
		}
		return UUID.randomUUID().toString();
	}

}
