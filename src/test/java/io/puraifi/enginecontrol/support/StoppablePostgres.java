package io.puraifi.enginecontrol.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL server of its own that a test can stop and start again, on the
 * same port and data directory, to play a store outage. The shared server of
 * {@link TestDatabases} is never stopped.
 */
public final class StoppablePostgres implements AutoCloseable {

	private final Path dataDirectory;

	private final int port;

	private EmbeddedPostgres server;

	/**
	 * Starts a new server.
	 * @param dataDirectory where it keeps its data, kept across {@link #stop()} and
	 * {@link #start()}
	 */
	public StoppablePostgres(Path dataDirectory) {
		this.dataDirectory = dataDirectory;
		this.port = freePort();
		start();
	}

	/**
	 * Starts the server on its data directory and port; a no-op when it runs.
	 */
	public synchronized void start() {
		if (this.server != null) {
			return;
		}
		try {
			this.server = EmbeddedPostgres.builder()
				.setDataDirectory(this.dataDirectory)
				.setCleanDataDirectory(false)
				.setPort(this.port)
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Embedded PostgreSQL did not start", ex);
		}
	}

	/**
	 * Stops the server (fast shutdown: open connections are closed); its data stays.
	 */
	public synchronized void stop() {
		if (this.server == null) {
			return;
		}
		try {
			this.server.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Embedded PostgreSQL did not stop", ex);
		}
		this.server = null;
	}

	/**
	 * The JDBC URL of its {@code postgres} database, valid across restarts.
	 */
	public String url() {
		return "jdbc:postgresql://localhost:" + this.port + "/postgres";
	}

	public String username() {
		return "postgres";
	}

	public String password() {
		return "postgres";
	}

	@Override
	public void close() {
		stop();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
