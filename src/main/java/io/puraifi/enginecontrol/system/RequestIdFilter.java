package io.puraifi.enginecontrol.system;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id: the caller's {@code X-Request-ID} when it is sane, else a
 * new UUID. The id is echoed in the response, put into the logging context as
 * {@code request_id} and kept as a request attribute for error bodies.
 */
@Component
@Order(FilterOrder.REQUEST_ID)
public class RequestIdFilter extends OncePerRequestFilter {

	/** Request and response header carrying the request id. */
	public static final String HEADER = "X-Request-ID";

	/** Request attribute holding the request id. */
	public static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

	/** Logging context key of the request id. */
	public static final String MDC_KEY = "request_id";

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
		if (offered != null && isSane(offered)) {
			return offered;
		}
		// A request id needs to be unique, not secret: ThreadLocalRandom instead of the
		// SecureRandom behind UUID.randomUUID(), which is shared by every request thread.
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long most = (random.nextLong() & ~0xF000L) | 0x4000L;
		long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(most, least).toString();
	}

	/** Whether the id matches {@code [A-Za-z0-9._-]{1,128}}, without a regex. */
	private static boolean isSane(String offered) {
		int length = offered.length();
		if (length < 1 || length > 128) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char c = offered.charAt(i);
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
					|| c == '-')) {
				return false;
			}
		}
		return true;
	}

}
