package io.puraifi.enginecontrol.system;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import ch.qos.logback.core.OutputStreamAppender;

/**
 * Writes log lines to standard output through a buffer, for an asynchronous appender that
 * flushes it at the end of every batch (logstash-logback-encoder's
 * {@code LoggingEventAsyncDisruptorAppender} does): a batch of lines is one write to
 * standard output, where logback's {@code ConsoleAppender} makes one per line. A line
 * waits in the buffer only until its batch ends: when the writer thread has caught up
 * with the lines logged so far.
 * <p>
 * Standard output is looked up at each write, so that a replaced {@code System.out} (a
 * test's captured output) receives the lines.
 *
 * @param <E> the event type
 */
public class BufferedConsoleAppender<E> extends OutputStreamAppender<E> {

	/** The buffer: at least a batch of a few hundred lines before it writes by itself. */
	static final int BUFFER_SIZE = 64 * 1024;

	@Override
	public void start() {
		setImmediateFlush(false);
		setOutputStream(new BufferedOutputStream(new StandardOutput(), BUFFER_SIZE));
		super.start();
	}

	/** {@code System.out} as it is at each write. */
	private static final class StandardOutput extends OutputStream {

		@Override
		public void write(int b) {
			System.out.write(b);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			System.out.write(bytes, offset, length);
		}

		@Override
		public void flush() {
			System.out.flush();
		}

		@Override
		public void close() throws IOException {
			// standard output stays open
			flush();
		}

	}

}
