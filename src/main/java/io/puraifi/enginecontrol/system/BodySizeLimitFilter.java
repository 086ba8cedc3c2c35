package io.puraifi.enginecontrol.system;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over {@code engine-control.max-body-size} (for the batch
 * endpoints, {@code engine-control.max-batch-body-size}) with 413: at once when the
 * declared length is too large, and while reading when a body without a length grows past
 * the limit.
 */
@Component
@Order(FilterOrder.BODY_SIZE_LIMIT)
class BodySizeLimitFilter extends OncePerRequestFilter {

	private static final Set<String> BATCH_PATHS = Set.of("/actions/check/batch", "/log/engine_events");

	private final long singleLimit;

	private final long batchLimit;

	private final Problems problems;

	BodySizeLimitFilter(EngineControlProperties properties, Problems problems) {
		this.singleLimit = properties.maxBodySize().toBytes();
		this.batchLimit = properties.maxBatchBodySize().toBytes();
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		long limit = BATCH_PATHS.contains(path) ? this.batchLimit : this.singleLimit;
		if (request.getContentLengthLong() > limit) {
			this.problems.write(request, response, ProblemType.PAYLOAD_TOO_LARGE,
					"Request bodies are limited to " + limit + " bytes");
			return;
		}
		chain.doFilter(new LimitedRequest(request, limit), response);
	}

	/** Thrown while reading a body that grew past the limit. */
	static class BodyTooLargeException extends IOException {

		BodyTooLargeException(long limit) {
			super("Request bodies are limited to " + limit + " bytes");
		}

	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new LimitedInputStream(super.getInputStream(), this.limit);
			}
			return this.stream;
		}

	}

	private static final class LimitedInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long limit;

		private long count;

		LimitedInputStream(ServletInputStream delegate, long limit) {
			this.delegate = delegate;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = this.delegate.read();
			if (b != -1) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws BodyTooLargeException {
			this.count += n;
			if (this.count > this.limit) {
				throw new BodyTooLargeException(this.limit);
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
