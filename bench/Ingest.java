import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Write throughput: registrations (POST /engines/register as the operator) and event
 * batches (POST /log/engine_events, 500 events a request, stored before the answer), each
 * from CONCURRENCY senders over keep-alive HTTP. Counts only 201/202 answers.
 *
 * java bench/Ingest.java BASE_URL ADMIN_KEY REGISTRATIONS EVENT_REQUESTS CONCURRENCY
 */
public class Ingest {

	public static void main(String[] args) throws Exception {
		String base = args[0];
		String adminKey = args[1];
		int registrations = Integer.parseInt(args[2]);
		int eventRequests = Integer.parseInt(args[3]);
		int concurrency = Integer.parseInt(args[4]);
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

		AtomicInteger registered = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		long started = System.nanoTime();
		List<Future<?>> tasks = new ArrayList<>();
		for (int i = 0; i < registrations; i++) {
			String body = "{\"engine_id\":\"ingest-" + run + "-" + i
					+ "\",\"capabilities\":{\"gmail\":[\"send_email\",\"read_email\"],\"slack\":[\"post_message\"]}}";
			tasks.add(pool.submit(() -> {
				int status = post(client, base + "/engines/register", "admin", adminKey, body);
				(status == 201 ? registered : failed).incrementAndGet();
				return null;
			}));
		}
		for (Future<?> task : tasks) {
			task.get();
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		System.out.printf("RESULT registrations=%d failed=%d seconds=%.2f per_second=%.0f%n", registered.get(),
				failed.get(), seconds, registered.get() / seconds);

		StringBuilder events = new StringBuilder("{\"events\":[");
		for (int i = 0; i < 500; i++) {
			events.append(i == 0 ? "" : ",")
				.append("{\"level\":\"info\",\"event_type\":\"bench.event\",\"message\":\"event ")
				.append(i)
				.append(" of a batch\",\"attributes\":{\"attempt\":")
				.append(i % 3)
				.append(",\"queue\":\"outbound\"}}");
		}
		String batch = events.append("]}").toString();
		AtomicInteger stored = new AtomicInteger();
		failed.set(0);
		tasks.clear();
		started = System.nanoTime();
		for (int i = 0; i < eventRequests; i++) {
			tasks.add(pool.submit(() -> {
				int status = post(client, base + "/log/engine_events", "admin", adminKey, batch);
				if (status == 202 || status == 201) {
					stored.addAndGet(500);
				}
				else {
					failed.incrementAndGet();
				}
				return null;
			}));
		}
		for (Future<?> task : tasks) {
			task.get();
		}
		seconds = (System.nanoTime() - started) / 1e9;
		System.out.printf("RESULT events_stored=%d failed_requests=%d seconds=%.2f per_second=%.0f%n", stored.get(),
				failed.get(), seconds, stored.get() / seconds);
		pool.shutdown();
	}

	private static int post(HttpClient client, String url, String engineId, String key, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.header("X-Engine-ID", engineId)
			.header("X-Engine-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() >= 300) {
			System.err.println(response.statusCode() + " " + response.body());
		}
		return response.statusCode();
	}

}
