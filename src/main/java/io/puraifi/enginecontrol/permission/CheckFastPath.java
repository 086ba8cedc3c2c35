package io.puraifi.enginecontrol.permission;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import io.puraifi.enginecontrol.engine.AuthenticatedEngine;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.ApiVersions;
import io.puraifi.enginecontrol.system.FilterOrder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Answers the plain single check without Spring MVC's dispatch, which costs more than the
 * decision itself (see BENCHMARKS.md). "Plain" is what nearly every engine sends: a
 * {@code POST /actions/check} with {@code Content-Type: application/json}, no
 * {@code Accept} or {@code Accept: *}{@code /*}, no {@code API-Version}, a short body
 * that reads as a {@link CheckController.CheckRequest} whose fields are well formed. Such
 * a check is decided by {@link CheckController#decide}, the same method the controller
 * calls, and answered as Spring MVC answers it: the same JSON mapper, status, content
 * type and headers. A refusal, or any other exception, is answered by Spring MVC's
 * exception handling ({@code ApiExceptionHandler}), as if the controller had thrown it.
 * Everything else goes on to Spring MVC, a body this filter read included, so that every
 * rule about bodies, versions, media types and errors has one home there. A request
 * without {@code API-Version} is served the default version, which
 * {@code CheckController.check} serves. {@code CheckFastPathIntegrationTests} compares
 * the two answers, and checks that Spring MVC maps such a request to that method.
 */
@Component
@Order(FilterOrder.CHECK_FAST_PATH)
class CheckFastPath extends OncePerRequestFilter implements SmartInitializingSingleton {

	/** Longer bodies go to Spring MVC: a plain check is under 200 bytes. */
	static final int MAX_BODY = 1024;

	private final ObjectProvider<CheckController> checkController;

	private final ObjectProvider<Changes> changesProvider;

	private final ObjectProvider<HandlerExceptionResolver> errorsProvider;

	private final ObjectReader reader;

	private final ObjectWriter writer;

	// Looked up once all beans exist: a test slice without them gets no fast path.
	private CheckController checks;

	private Changes changes;

	private HandlerExceptionResolver errors;

	CheckFastPath(ObjectProvider<CheckController> checks, ObjectProvider<Changes> changes,
			@Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> errors, JsonMapper json) {
		this.checkController = checks;
		this.changesProvider = changes;
		this.errorsProvider = errors;
		this.reader = json.readerFor(CheckController.CheckRequest.class);
		this.writer = json.writerFor(CheckController.CheckResponse.class);
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.checks = this.checkController.getIfAvailable();
		this.changes = this.changesProvider.getIfAvailable();
		this.errors = this.errorsProvider.getIfAvailable();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return this.checks == null || this.changes == null || this.errors == null || !"POST".equals(request.getMethod())
				|| !request.getRequestURI()
					.substring(request.getContextPath().length())
					.equals(CheckController.CHECK_PATH);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Object caller = request.getAttribute(AuthenticatedEngine.ATTRIBUTE);
		int length = request.getContentLength();
		if (!(caller instanceof AuthenticatedEngine engine) || !isPlain(request) || length <= 0 || length > MAX_BODY) {
			chain.doFilter(request, response);
			return;
		}
		byte[] body = request.getInputStream().readNBytes(length);
		CheckController.CheckRequest check = read(body);
		if (check == null || !check.isWellFormed()) {
			chain.doFilter(new ReadAgain(request, body), response);
			return;
		}
		CheckController.CheckResponse answer;
		try {
			answer = this.checks.decide(engine, check);
		}
		catch (RuntimeException ex) {
			// Spring MVC's exception handling answers, as if the controller had thrown
			if (this.errors.resolveException(request, response, null, ex) == null) {
				throw ex;
			}
			return;
		}
		response.setHeader(Changes.REVISION_HEADER, Long.toString(this.changes.revision()));
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		this.writer.writeValue(response.getOutputStream(), answer);
	}

	/**
	 * Whether the request leaves Spring MVC nothing to negotiate: a JSON body, an answer
	 * in JSON (a refusal in problem+json), the default API version.
	 */
	static boolean isPlain(HttpServletRequest request) {
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		return MediaType.APPLICATION_JSON_VALUE.equals(request.getContentType())
				&& (accept == null || accept.equals(MediaType.ALL_VALUE))
				&& request.getHeader(ApiVersions.HEADER) == null;
	}

	/** The body as a check, or null when it does not read as one: Spring MVC says why. */
	private CheckController.CheckRequest read(byte[] body) {
		try {
			return this.reader.readValue(body);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/** The request again, with the body this filter read. */
	private static final class ReadAgain extends HttpServletRequestWrapper {

		private final ServletInputStream body;

		ReadAgain(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = new BodyStream(body);
		}

		@Override
		public ServletInputStream getInputStream() {
			return this.body;
		}

	}

	private static final class BodyStream extends ServletInputStream {

		private final ByteArrayInputStream bytes;

		BodyStream(byte[] body) {
			this.bytes = new ByteArrayInputStream(body);
		}

		@Override
		public int read() {
			return this.bytes.read();
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			return this.bytes.read(buffer, offset, length);
		}

		@Override
		public boolean isFinished() {
			return this.bytes.available() == 0;
		}

		@Override
		public boolean isReady() {
			return true;
		}

		/** The whole body is in memory: it is available at once, and then all read. */
		@Override
		public void setReadListener(ReadListener listener) {
			try {
				if (!isFinished()) {
					listener.onDataAvailable();
				}
				listener.onAllDataRead();
			}
			catch (IOException ex) {
				listener.onError(ex);
			}
		}

	}

}
