package io.puraifi.enginecontrol.system;

import java.io.IOException;
import java.io.PrintWriter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives the actuator's bodiless errors a problem body: an unknown health component or
 * group ({@code /actuator/health/no-such-thing}) is a 404 with no body and no content
 * type from the actuator itself. Only {@code /actuator/} requests are wrapped; the
 * wrapper notes whether anything was written, nothing more.
 */
@Component
@Order(FilterOrder.ACTUATOR_PROBLEM)
class ActuatorProblemFilter extends OncePerRequestFilter {

	private final Problems problems;

	ActuatorProblemFilter(Problems problems) {
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith(request.getContextPath() + "/actuator/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		BodyWatchingResponse watched = new BodyWatchingResponse(response);
		chain.doFilter(request, watched);
		int status = response.getStatus();
		if (status >= 400 && !watched.bodyStarted && !response.isCommitted()) {
			ProblemType type = ProblemType.forStatus(status);
			response.resetBuffer();
			this.problems.write(request, response, type, (status == HttpServletResponse.SC_NOT_FOUND)
					? "No such actuator endpoint or health component" : type.title());
		}
	}

	private static final class BodyWatchingResponse extends HttpServletResponseWrapper {

		private boolean bodyStarted;

		BodyWatchingResponse(HttpServletResponse response) {
			super(response);
		}

		@Override
		public ServletOutputStream getOutputStream() throws IOException {
			this.bodyStarted = true;
			return super.getOutputStream();
		}

		@Override
		public PrintWriter getWriter() throws IOException {
			this.bodyStarted = true;
			return super.getWriter();
		}

		@Override
		public void sendError(int sc) throws IOException {
			this.bodyStarted = true;
			super.sendError(sc);
		}

		@Override
		public void sendError(int sc, String msg) throws IOException {
			this.bodyStarted = true;
			super.sendError(sc, msg);
		}

	}

}
