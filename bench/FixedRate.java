import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed-rate load generator: sends POST /actions/check at a fixed rate over at most
 * CONNECTIONS keep-alive HTTP/1.1 connections, and measures each latency from the moment the
 * request was due, not from when it was sent, so a stalled server shows up in the
 * percentiles instead of slowing the load down (no coordinated omission).
 *
 * java bench/FixedRate.java BASE_URL BENCH_DIR RATE WARMUP_SECONDS SECONDS [CONNECTIONS]
 */
public class FixedRate {

	public static void main(String[] args) throws Exception {
		String base = args[0];
		Path dir = Path.of(args[1]);
		int rate = Integer.parseInt(args[2]);
		int warmup = Integer.parseInt(args[3]);
		int seconds = Integer.parseInt(args[4]);
		int connections = (args.length > 5) ? Integer.parseInt(args[5]) : 32;
		List<String[]> engines = Files.readAllLines(dir.resolve("credentials.txt"))
			.stream()
			.map((line) -> line.split(" "))
			.toList();
		List<String[]> actions = Files.readAllLines(dir.resolve("actions.txt")).stream().map((l) -> l.split(" ")).toList();
		java.net.URI uri = java.net.URI.create(base);
		String host = uri.getHost();
		int port = uri.getPort();
		int total = (warmup + seconds) * rate;
		int skip = warmup * rate;
		long[] latencies = new long[total - skip];
		AtomicInteger recorded = new AtomicInteger();
		AtomicLong errors = new AtomicLong();
		AtomicLong nextIndex = new AtomicLong();
		AtomicInteger late = new AtomicInteger();
		long period = 1_000_000_000L / rate;
		long start = System.nanoTime() + 50_000_000L;
		// CONNECTIONS senders share one schedule: each takes the next due time, waits for it
		// and sends on its own keep-alive connection. When every sender is busy the next
		// request goes out late and its latency counts from when it was due (as wrk2 does).
		// Plain sockets and hand-written HTTP/1.1 keep the generator's own cost at a few
		// microseconds a request, so that it can hold the rate on the same two cores.
		Thread[] senders = new Thread[connections];
		for (int s = 0; s < connections; s++) {
			senders[s] = new Thread(() -> {
				Connection connection = null;
				long i;
				while ((i = nextIndex.getAndIncrement()) < total) {
					long due = start + i * period;
					long wait;
					while ((wait = due - System.nanoTime()) > 0) {
						LockSupport.parkNanos(Math.min(wait, 200_000));
					}
					if (System.nanoTime() - due > 1_000_000) {
						late.incrementAndGet();
					}
					String[] engine = engines.get(ThreadLocalRandom.current().nextInt(engines.size()));
					String[] action = actions.get(ThreadLocalRandom.current().nextInt(actions.size()));
					String body = "{\"platform\":\"" + action[0] + "\",\"action_type\":\"" + action[1] + "\"}";
					String request = "POST /actions/check HTTP/1.1\r\nHost: " + host + ":" + port
							+ "\r\nContent-Type: application/json\r\nX-Engine-ID: " + engine[0] + "\r\nX-Engine-Key: "
							+ engine[1] + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
					try {
						if (connection == null) {
							connection = new Connection(host, port);
						}
						String response = connection.exchange(request);
						if (!response.startsWith("HTTP/1.1 200") || !response.contains("\"allowed\":true")) {
							errors.incrementAndGet();
						}
						// Tomcat closes a keep-alive connection after 100 requests: reconnect
						// then, rather than lose the next request to a closed socket.
						if (closes(response)) {
							connection.close();
							connection = null;
						}
					}
					catch (Exception ex) {
						errors.incrementAndGet();
						if (connection != null) {
							connection.close();
						}
						connection = null;
					}
					long latency = System.nanoTime() - due;
					if (i >= skip) {
						latencies[recorded.getAndIncrement()] = latency;
					}
				}
				if (connection != null) {
					connection.close();
				}
			});
			senders[s].start();
		}
		for (Thread sender : senders) {
			sender.join();
		}
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (recorded.get() < latencies.length && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		long[] done = Arrays.copyOf(latencies, recorded.get());
		Arrays.sort(done);
		System.out.printf(
				"RESULT rate=%d seconds=%d connections=%d completed=%d errors=%d sent_late_1ms=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f%n",
				rate, seconds, connections, done.length, errors.get(), late.get(), pct(done, 50), pct(done, 90),
				pct(done, 99), pct(done, 99.9), done.length > 0 ? done[done.length - 1] / 1e6 : 0);
		System.exit(0);
	}

	/** One keep-alive HTTP/1.1 connection; reads a response by its Content-Length. */
	static final class Connection {

		private final java.net.Socket socket;

		private final java.io.OutputStream out;

		private final java.io.InputStream in;

		private final byte[] buffer = new byte[16 * 1024];

		Connection(String host, int port) throws java.io.IOException {
			this.socket = new java.net.Socket(host, port);
			this.socket.setTcpNoDelay(true);
			this.socket.setSoTimeout(30_000);
			this.out = this.socket.getOutputStream();
			this.in = this.socket.getInputStream();
		}

		String exchange(String request) throws java.io.IOException {
			this.out.write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
			this.out.flush();
			int length = 0;
			int headerEnd = -1;
			int contentLength = -1;
			while (true) {
				int read = this.in.read(this.buffer, length, this.buffer.length - length);
				if (read < 0) {
					throw new java.io.EOFException("connection closed");
				}
				length += read;
				if (headerEnd < 0) {
					String text = new String(this.buffer, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1);
					headerEnd = text.indexOf("\r\n\r\n");
					if (headerEnd >= 0) {
						int at = text.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
						if (at < 0 || at > headerEnd) {
							throw new java.io.IOException("no Content-Length");
						}
						int eol = text.indexOf("\r\n", at);
						contentLength = Integer.parseInt(text.substring(at + 15, eol).trim());
					}
				}
				if (headerEnd >= 0 && length >= headerEnd + 4 + contentLength) {
					return new String(this.buffer, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1);
				}
			}
		}

		void close() {
			try {
				this.socket.close();
			}
			catch (java.io.IOException ex) {
				// closing anyway
			}
		}

	}

	private static boolean closes(String response) {
		int headerEnd = response.indexOf("\r\n\r\n");
		return response.substring(0, headerEnd).toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close");
	}

	private static double pct(long[] sorted, double p) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
	}

}
