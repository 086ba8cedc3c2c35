import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An fixed-rate load generator: sends POST /actions/check at a fixed rate over at most
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
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		URI uri = URI.create(base + "/actions/check");
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
		Thread[] senders = new Thread[connections];
		for (int s = 0; s < connections; s++) {
			senders[s] = new Thread(() -> {
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
					HttpRequest request = HttpRequest.newBuilder(uri)
						.header("Content-Type", "application/json")
						.header("X-Engine-ID", engine[0])
						.header("X-Engine-Key", engine[1])
						.POST(HttpRequest.BodyPublishers
							.ofString("{\"platform\":\"" + action[0] + "\",\"action_type\":\"" + action[1] + "\"}"))
						.build();
					try {
						HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
						if (response.statusCode() != 200 || !response.body().contains("\"allowed\":true")) {
							errors.incrementAndGet();
						}
					}
					catch (Exception ex) {
						errors.incrementAndGet();
					}
					long latency = System.nanoTime() - due;
					if (i >= skip) {
						latencies[recorded.getAndIncrement()] = latency;
					}
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

	private static double pct(long[] sorted, double p) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
	}

}
