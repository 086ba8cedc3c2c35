package io.puraifi.enginecontrol.system;

import ch.qos.logback.classic.spi.ILoggingEvent;
import net.logstash.logback.appender.LoggingEventAsyncDisruptorAppender;

/**
 * logstash-logback-encoder's ring-buffer appender, configured in
 * {@code logback-spring.xml} to wait for room when the buffer is full, whose wait an
 * interrupt does not cut short: the library gives up on a line when the logging thread
 * has its interrupt flag set, and a request thread may (a {@code min_revision} wait that
 * was interrupted sets it again). The flag is cleared for the wait and set again
 * afterwards, so the line is kept and the interrupt too.
 */
public class WaitingAsyncAppender extends LoggingEventAsyncDisruptorAppender {

	@Override
	protected void append(ILoggingEvent event) {
		boolean interrupted = Thread.interrupted();
		try {
			super.append(event);
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
