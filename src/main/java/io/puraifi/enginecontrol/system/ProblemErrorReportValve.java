package io.puraifi.enginecontrol.system;

import java.io.IOException;
import java.io.Writer;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's last word on an error, written as {@code application/problem+json} instead of
 * its HTML page. It answers what Tomcat refuses before the application sees a request (an
 * invalid or over-long request line, a malformed or over-long header, an encoded slash or
 * NUL in the path) and anything else that reached no error page. The body holds only the
 * type, title and status, and a fresh request id, also sent as {@code X-Request-ID}:
 * nothing from the request is echoed.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	public ProblemErrorReportValve() {
		setShowReport(false);
		setShowServerInfo(false);
	}

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(false);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get() || !response.setErrorReported()) {
			return;
		}
		ProblemType type = ProblemType.forStatus(status);
		String requestId = UUID.randomUUID().toString();
		String detail = (status >= 500) ? "An unexpected error occurred"
				: "The request was refused before it reached the service: check its request line, path and headers";
		String body = "{\"type\":\"" + type.type() + "\",\"title\":\"" + type.title() + "\",\"status\":" + status
				+ ",\"detail\":\"" + detail + "\",\"request_id\":\"" + requestId + "\"}";
		try {
			response.setHeader(RequestIdFilter.HEADER, requestId);
			response.setContentType("application/problem+json");
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(body);
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone or the response cannot be written: nothing to report to.
		}
	}

}
