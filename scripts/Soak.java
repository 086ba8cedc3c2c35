import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak load for scripts/soak.sh: checks at a fixed rate, event batches at a fixed rate and
 * operator changes in a loop, all at once, for WARMUP + SECONDS seconds, counting every answer
 * by kind. Writes running totals to OUT/totals.txt every second (for the sampler) and prints a
 * RESULT line at the end. Never prints a key.
 *
 * <p>
 * What counts as an error: a transport failure (connection refused or reset, timeout), any
 * 5xx, and a 4xx or a denial that no operator change explains. A check is explained when it
 * names an engine, platform or action that an operator change was in effect on (or started or
 * ended on) at any time between its sending and its answer: a kill switch off, a platform in
 * maintenance, a suspended engine, an engine being deleted. Those are counted as
 * {@code checks_denied_expected}.
 *
 * <p>
 * The admin loop, one change after another with PAUSE_MS between: the kill switch
 * {@code action.slack.post_message} off then on; platform {@code notion} in maintenance then
 * available; an engine of the pool suspended then resumed; a new engine registered into the
 * pool (and, past EXTRA_ENGINES new ones, the oldest of them taken out of the pool and
 * deleted); an engine's key rotated with a one-minute overlap (the generator switches to the
 * new key at once). Each write is one admin change; a change that is undone is held HOLD_MS.
 *
 * <p>
 * java scripts/Soak.java BASE_URL OUT_DIR WARMUP_SECONDS SECONDS CHECK_RATE CONNECTIONS
 * EVENT_BATCHES_PER_SECOND EVENTS_PER_BATCH PAUSE_MS HOLD_MS ENGINES EXTRA_ENGINES
 * (the operator key comes from the environment, SOAK_ADMIN_KEY)
 */
public class Soak {

	/** The actions the pool's engines are granted and check: the bundled catalog's. */
	static final String[][] ACTIONS = { { "gmail", "send_email" }, { "gmail", "read_email" },
			{ "google_calendar", "create_event" }, { "slack", "post_message" }, { "slack", "read_channel" },
			{ "notion", "create_page" }, { "notion", "read_page" } };

	static final String CAPABILITIES = "{\"gmail\":[\"send_email\",\"read_email\"],\"google_calendar\":[\"create_event\"],"
			+ "\"slack\":[\"post_message\",\"read_channel\"],\"notion\":[\"create_page\",\"read_page\"]}";

	static final String KILL_SWITCH = "action.slack.post_message";

	static final String MAINTENANCE_PLATFORM = "notion";

	static final Pattern ENGINE_KEY = Pattern.compile("\"engine_key\":\"([^\"]+)\"");

	static final Pattern EVENT_ID = Pattern.compile("\"[0-9a-f]{8}-[0-9a-f]{4}-");

	/** An engine of the pool; the key changes on rotation. */
	static final class Engine {

		final String id;

		volatile String key;

		Engine(String id, String key) {
			this.id = id;
			this.key = key;
		}

	}

	/**
	 * Something an operator change acts on. {@code changes} moves when a change starts and
	 * when its undo has returned, so a check sees whether a change overlapped it.
	 */
	static final class Target {

		volatile boolean active;

		final AtomicLong changes = new AtomicLong();

		void begin() {
			this.active = true;
			this.changes.incrementAndGet();
		}

		void end() {
			this.active = false;
			this.changes.incrementAndGet();
		}

	}

	static final Map<String, Target> targets = new ConcurrentHashMap<>();

	static Target target(String name) {
		return targets.computeIfAbsent(name, (n) -> new Target());
	}

	static final List<Engine> pool = new CopyOnWriteArrayList<>();

	// Totals.
	static final AtomicLong checksSent = new AtomicLong();

	static final AtomicLong checksAllowed = new AtomicLong();

	static final AtomicLong checksDeniedExpected = new AtomicLong();

	static final AtomicLong checkTransport = new AtomicLong();

	static final AtomicLong check5xx = new AtomicLong();

	static final AtomicLong check4xx = new AtomicLong();

	static final AtomicLong checkDeniedUnexpected = new AtomicLong();

	static final AtomicLong checksLate = new AtomicLong();

	static final AtomicLong warmupSkipped = new AtomicLong();

	static final AtomicLong eventsStored = new AtomicLong();

	static final AtomicLong eventBatches = new AtomicLong();

	static final AtomicLong eventErrors = new AtomicLong();

	static final AtomicLong adminChanges = new AtomicLong();

	static final AtomicLong adminErrors = new AtomicLong();

	static final AtomicInteger errorLines = new AtomicInteger();

	static PrintWriter errorLog;

	static HttpClient http;

	static String host;

	static int port;

	static final AtomicLong reconnects = new AtomicLong();

	static String base;

	static String adminKey;

	public static void main(String[] args) throws Exception {
		base = args[0];
		host = URI.create(base).getHost();
		port = URI.create(base).getPort();
		Path out = Path.of(args[1]);
		int warmup = Integer.parseInt(args[2]);
		int seconds = Integer.parseInt(args[3]);
		int rate = Integer.parseInt(args[4]);
		int connections = Integer.parseInt(args[5]);
		double batchesPerSecond = Double.parseDouble(args[6]);
		int eventsPerBatch = Integer.parseInt(args[7]);
		long pauseMs = Long.parseLong(args[8]);
		long holdMs = Long.parseLong(args[9]);
		int engines = Integer.parseInt(args[10]);
		int extraEngines = Integer.parseInt(args[11]);
		adminKey = System.getenv("SOAK_ADMIN_KEY");
		errorLog = new PrintWriter(Files.newBufferedWriter(out.resolve("errors.txt")), true);
		http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		// Engine ids unique to this run, so that a PostgreSQL store can be reused.
		String run = Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36);
		for (int i = 0; i < engines; i++) {
			pool.add(register("soak-" + run + "-" + i));
		}
		Engine eventSender = register("soak-" + run + "-events");

		long start = System.nanoTime() + 100_000_000L;
		long end = start + (warmup + seconds) * 1_000_000_000L;
		long measuredFrom = start + warmup * 1_000_000_000L;
		int[] latencies = new int[(int) Math.min(Integer.MAX_VALUE - 8, (long) rate * (seconds + 5))];
		AtomicInteger recorded = new AtomicInteger();
		AtomicLong nextIndex = new AtomicLong();
		long period = 1_000_000_000L / rate;

		// Checks: CONNECTIONS senders share one schedule (open loop, as bench/FixedRate.java):
		// each takes the next due time, waits for it, sends on its own keep-alive connection
		// and measures the latency from when the request was due.
		Thread[] senders = new Thread[connections];
		for (int s = 0; s < connections; s++) {
			senders[s] = new Thread(() -> {
				long i;
				long due;
				while ((due = start + (i = nextIndex.getAndIncrement()) * period) < end) {
					long wait;
					while ((wait = due - System.nanoTime()) > 0) {
						LockSupport.parkNanos(Math.min(wait, 200_000));
					}
					long late = System.nanoTime() - due;
					if (due < measuredFrom && late > 100_000_000L) {
						// The warm-up does not queue: a cold server (or client) falling behind
						// would otherwise hand its backlog to the measured run.
						warmupSkipped.incrementAndGet();
						continue;
					}
					if (due >= measuredFrom && late > 1_000_000) {
						checksLate.incrementAndGet();
					}
					check(i);
					if (due >= measuredFrom) {
						int slot = recorded.getAndIncrement();
						if (slot < latencies.length) {
							latencies[slot] = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - due) / 1000);
						}
					}
				}
			}, "check-" + s);
			senders[s].start();
		}

		// Events: batches at a fixed rate from one engine that no change touches.
		String batch = eventBatch(eventsPerBatch);
		Thread events = new Thread(() -> {
			long eventPeriod = (long) (1_000_000_000L / batchesPerSecond);
			for (long due = start; due < end; due += eventPeriod) {
				long wait;
				while ((wait = due - System.nanoTime()) > 0) {
					LockSupport.parkNanos(wait);
				}
				sendEvents(eventSender, batch, eventsPerBatch);
			}
		}, "events");
		events.start();

		Thread admin = new Thread(() -> adminLoop(run, end, pauseMs, holdMs, extraEngines), "admin");
		admin.setDaemon(true);
		admin.start();

		// Every second: the totals for the sampler. Every 10 s: a progress line with the
		// latencies of the checks answered in those 10 s. Each minute after the warm-up: a
		// row of latency.csv.
		Path totals = out.resolve("totals.txt");
		PrintWriter perMinute = new PrintWriter(Files.newBufferedWriter(out.resolve("latency.csv")), true);
		perMinute.println("minute,checks,p50_ms,p99_ms,max_ms");
		int tick = 0;
		int tenSecondsMark = 0;
		int minuteMark = 0;
		long sentMark = 0;
		long lateMark = 0;
		long nextMinute = measuredFrom + 60_000_000_000L;
		int minute = 1;
		while (events.isAlive() || Arrays.stream(senders).anyMatch(Thread::isAlive)) {
			long now = System.nanoTime();
			writeTotals(totals, (now - start) / 1_000_000_000L);
			int mark = Math.min(recorded.get(), latencies.length);
			if (++tick % 10 == 0) {
				int[] slice = sorted(latencies, tenSecondsMark, mark);
				System.out.printf("t=%ds sent=%d late_1ms=%d errors=%d measured=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f%n",
						(now - start) / 1_000_000_000L, checksSent.get() - sentMark, checksLate.get() - lateMark,
						errors(), slice.length, pct(slice, 50), pct(slice, 99),
						(slice.length > 0) ? slice[slice.length - 1] / 1e3 : 0);
				tenSecondsMark = mark;
				sentMark = checksSent.get();
				lateMark = checksLate.get();
			}
			if (now >= nextMinute) {
				int[] slice = sorted(latencies, minuteMark, mark);
				perMinute.printf("%d,%d,%.3f,%.3f,%.3f%n", minute++, slice.length, pct(slice, 50), pct(slice, 99),
						(slice.length > 0) ? slice[slice.length - 1] / 1e3 : 0);
				minuteMark = mark;
				nextMinute += 60_000_000_000L;
			}
			Thread.sleep(1000);
		}
		perMinute.close();
		admin.join(Math.max(1, pauseMs + 2 * holdMs + 10_000));
		writeTotals(totals, (System.nanoTime() - start) / 1_000_000_000L);

		int[] done = Arrays.copyOf(latencies, Math.min(recorded.get(), latencies.length));
		Arrays.sort(done);
		long errors = errors();
		System.out.printf("RESULT seconds=%d rate=%d connections=%d checks_sent=%d checks_allowed=%d "
				+ "checks_denied_expected=%d errors=%d check_transport=%d check_5xx=%d check_4xx_unexpected=%d "
				+ "check_denied_unexpected=%d event_errors=%d admin_errors=%d events_stored=%d event_batches=%d "
				+ "admin_changes=%d checks_sent_late_1ms=%d warmup_skipped=%d reconnects=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f%n",
				seconds, rate, connections, checksSent.get(), checksAllowed.get(), checksDeniedExpected.get(), errors,
				checkTransport.get(), check5xx.get(), check4xx.get(), checkDeniedUnexpected.get(), eventErrors.get(),
				adminErrors.get(), eventsStored.get(), eventBatches.get(), adminChanges.get(), checksLate.get(),
				warmupSkipped.get(), reconnects.get(),
				pct(done, 50), pct(done, 90), pct(done, 99), pct(done, 99.9),
				(done.length > 0) ? done[done.length - 1] / 1e3 : 0);
		errorLog.close();
		System.exit(0);
	}

	static long errors() {
		return checkTransport.get() + check5xx.get() + check4xx.get() + checkDeniedUnexpected.get() + eventErrors.get()
				+ adminErrors.get();
	}

	static void writeTotals(Path file, long elapsed) {
		String text = "elapsed_s=" + elapsed + "\nchecks_sent=" + checksSent.get() + "\nchecks_allowed="
				+ checksAllowed.get() + "\nchecks_denied_expected=" + checksDeniedExpected.get() + "\nerrors="
				+ errors() + "\ncheck_transport=" + checkTransport.get() + "\ncheck_5xx=" + check5xx.get()
				+ "\ncheck_4xx_unexpected=" + check4xx.get() + "\ncheck_denied_unexpected="
				+ checkDeniedUnexpected.get() + "\nevent_errors=" + eventErrors.get() + "\nadmin_errors="
				+ adminErrors.get() + "\nevents_stored=" + eventsStored.get() + "\nadmin_changes="
				+ adminChanges.get() + "\n";
		try {
			Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
			Files.writeString(tmp, text);
			Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			System.err.println("cannot write " + file + ": " + ex);
		}
	}

	/** One check of a random pool engine and action, classified. */
	static void check(long i) {
		List<Engine> engines = pool;
		Engine engine = engines.get(ThreadLocalRandom.current().nextInt(engines.size()));
		String[] action = ACTIONS[(int) (i % ACTIONS.length)];
		Target[] concerned = { target("engine:" + engine.id), target("platform:" + action[0]),
				target("flag:action." + action[0] + "." + action[1]) };
		boolean activeAtSend = false;
		long[] before = new long[concerned.length];
		for (int t = 0; t < concerned.length; t++) {
			before[t] = concerned[t].changes.get();
			activeAtSend |= concerned[t].active;
		}
		checksSent.incrementAndGet();
		String body = "{\"platform\":\"" + action[0] + "\",\"action_type\":\"" + action[1] + "\"}";
		String request = "POST /actions/check HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
				+ "X-Engine-ID: " + engine.id + "\r\nX-Engine-Key: " + engine.key + "\r\nContent-Length: "
				+ body.length() + "\r\n\r\n" + body;
		Response response;
		try {
			response = exchange(request);
		}
		catch (Exception ex) {
			checkTransport.incrementAndGet();
			error("check transport " + ex);
			return;
		}
		int status = response.status();
		if (status == 200 && response.body().contains("\"allowed\":true")) {
			checksAllowed.incrementAndGet();
			return;
		}
		if (status >= 500) {
			check5xx.incrementAndGet();
			error("check " + status + " " + response.body());
			return;
		}
		boolean explained = activeAtSend;
		for (int t = 0; t < concerned.length; t++) {
			explained |= concerned[t].active || concerned[t].changes.get() != before[t];
		}
		if (explained) {
			checksDeniedExpected.incrementAndGet();
		}
		else if (status == 200) {
			checkDeniedUnexpected.incrementAndGet();
			error("check denied with no change in effect: " + response.body());
		}
		else {
			check4xx.incrementAndGet();
			error("check " + status + " with no change in effect: " + response.body());
		}
	}

	record Response(int status, String body, boolean close) {
	}

	/** Each check sender's keep-alive connection. */
	static final ThreadLocal<Connection> connection = new ThreadLocal<>();

	/**
	 * Sends a check on this sender's connection. A connection the server has closed while it
	 * was idle between two checks (nothing sent back at all) is replaced once, and counted in
	 * {@code reconnects}; any other failure is the caller's transport error.
	 */
	static Response exchange(String request) throws IOException {
		Connection current = connection.get();
		boolean reused = current != null;
		if (current == null) {
			current = new Connection(host, port);
			connection.set(current);
		}
		Response response;
		try {
			response = current.exchange(request);
		}
		catch (Connection.NothingRead ex) {
			current.close();
			connection.remove();
			if (!reused) {
				throw ex;
			}
			reconnects.incrementAndGet();
			current = new Connection(host, port);
			connection.set(current);
			response = current.exchange(request);
		}
		catch (IOException ex) {
			current.close();
			connection.remove();
			throw ex;
		}
		if (response.close()) {
			current.close();
			connection.remove();
		}
		return response;
	}

	/**
	 * One keep-alive HTTP/1.1 connection with hand-written requests, as bench/FixedRate.java:
	 * the JDK HttpClient costs too much CPU a request to hold a rate on two shared cores.
	 * Reads a response by its Content-Length, or to the last chunk.
	 */
	static final class Connection {

		static final class NothingRead extends IOException {

			NothingRead(String message) {
				super(message);
			}

		}

		private final Socket socket;

		private final OutputStream out;

		private final InputStream in;

		private byte[] buffer = new byte[16 * 1024];

		Connection(String host, int port) throws IOException {
			this.socket = new Socket(host, port);
			this.socket.setTcpNoDelay(true);
			this.socket.setSoTimeout(10_000);
			this.out = this.socket.getOutputStream();
			this.in = this.socket.getInputStream();
		}

		Response exchange(String request) throws IOException {
			try {
				this.out.write(request.getBytes(StandardCharsets.UTF_8));
				this.out.flush();
			}
			catch (IOException ex) {
				throw new NothingRead("write failed: " + ex.getMessage());
			}
			int length = 0;
			int headerEnd = -1;
			int contentLength = -1;
			boolean chunked = false;
			String head = null;
			while (true) {
				if (length == this.buffer.length) {
					this.buffer = Arrays.copyOf(this.buffer, this.buffer.length * 2);
				}
				int read = this.in.read(this.buffer, length, this.buffer.length - length);
				if (read < 0) {
					if (length == 0) {
						throw new NothingRead("closed before answering");
					}
					throw new EOFException("closed in the middle of an answer");
				}
				length += read;
				if (headerEnd < 0) {
					String text = new String(this.buffer, 0, length, StandardCharsets.ISO_8859_1);
					headerEnd = text.indexOf("\r\n\r\n");
					if (headerEnd >= 0) {
						head = text.substring(0, headerEnd + 2).toLowerCase(Locale.ROOT);
						chunked = head.contains("\r\ntransfer-encoding: chunked\r\n");
						int at = head.indexOf("\r\ncontent-length:");
						if (at >= 0) {
							contentLength = Integer.parseInt(head.substring(at + 17, head.indexOf("\r\n", at + 2)).trim());
						}
						else if (!chunked) {
							throw new IOException("an answer with neither Content-Length nor chunks");
						}
					}
				}
				if (headerEnd >= 0) {
					int bodyStart = headerEnd + 4;
					String body = null;
					if (!chunked && length >= bodyStart + contentLength) {
						body = new String(this.buffer, bodyStart, contentLength, StandardCharsets.UTF_8);
					}
					else if (chunked && endsWith(this.buffer, length, "\r\n0\r\n\r\n")) {
						body = dechunk(new String(this.buffer, bodyStart, length - bodyStart, StandardCharsets.UTF_8));
					}
					if (body != null) {
						int status = Integer.parseInt(head.substring(9, 12));
						return new Response(status, body, head.contains("\r\nconnection: close\r\n"));
					}
				}
			}
		}

		static boolean endsWith(byte[] bytes, int length, String suffix) {
			if (length < suffix.length()) {
				return false;
			}
			for (int i = 0; i < suffix.length(); i++) {
				if (bytes[length - suffix.length() + i] != suffix.charAt(i)) {
					return false;
				}
			}
			return true;
		}

		static String dechunk(String chunks) {
			StringBuilder body = new StringBuilder();
			int at = 0;
			while (true) {
				int eol = chunks.indexOf("\r\n", at);
				int size = Integer.parseInt(chunks.substring(at, eol).split(";")[0].trim(), 16);
				if (size == 0) {
					return body.toString();
				}
				body.append(chunks, eol + 2, eol + 2 + size);
				at = eol + 2 + size + 2;
			}
		}

		void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}

	}

	static void sendEvents(Engine engine, String batch, int size) {
		eventBatches.incrementAndGet();
		try {
			HttpResponse<String> response = post("/log/engine_events", engine.id, engine.key, batch);
			if (response.statusCode() == 202) {
				Matcher ids = EVENT_ID.matcher(response.body());
				int stored = 0;
				while (ids.find()) {
					stored++;
				}
				eventsStored.addAndGet(stored);
				if (stored != size) {
					eventErrors.incrementAndGet();
					error("event batch of " + size + " answered with " + stored + " ids");
				}
			}
			else {
				eventErrors.incrementAndGet();
				error("events " + response.statusCode() + " " + response.body());
			}
		}
		catch (Exception ex) {
			eventErrors.incrementAndGet();
			error("events transport " + ex);
		}
	}

	static String eventBatch(int size) {
		StringBuilder events = new StringBuilder("{\"events\":[");
		for (int i = 0; i < size; i++) {
			events.append((i == 0) ? "" : ",")
				.append("{\"level\":\"info\",\"event_type\":\"soak.event\",\"message\":\"event ")
				.append(i)
				.append(" of a soak batch\",\"attributes\":{\"attempt\":")
				.append(i % 3)
				.append(",\"queue\":\"outbound\"}}");
		}
		return events.append("]}").toString();
	}

	/** The operator's changes, one after another, until the end. */
	static void adminLoop(String run, long end, long pauseMs, long holdMs, int extraEngines) {
		ArrayDeque<Engine> extras = new ArrayDeque<>();
		int step = 0;
		int registered = 0;
		while (System.nanoTime() < end) {
			sleep(pauseMs);
			if (System.nanoTime() >= end) {
				return;
			}
			switch (step++ % 5) {
				case 0 -> hold(target("flag:" + KILL_SWITCH), holdMs, () -> admin("PUT", "/admin/flags/" + KILL_SWITCH,
						"{\"enabled\":false}"), () -> admin("PUT", "/admin/flags/" + KILL_SWITCH, "{\"enabled\":true}"));
				case 1 -> hold(target("platform:" + MAINTENANCE_PLATFORM), holdMs,
						() -> admin("PUT", "/admin/platforms/" + MAINTENANCE_PLATFORM + "/status",
								"{\"status\":\"maintenance\",\"message\":\"soak\"}"),
						() -> admin("PUT", "/admin/platforms/" + MAINTENANCE_PLATFORM + "/status",
								"{\"status\":\"available\"}"));
				case 2 -> {
					Engine engine = pool.get(ThreadLocalRandom.current().nextInt(pool.size()));
					hold(target("engine:" + engine.id), holdMs,
							() -> admin("POST", "/admin/engines/" + engine.id + "/suspend", null),
							() -> admin("POST", "/admin/engines/" + engine.id + "/resume", null));
				}
				case 3 -> {
					try {
						Engine engine = register("soak-" + run + "-new-" + registered++);
						adminChanges.incrementAndGet();
						pool.add(engine);
						extras.add(engine);
						if (extras.size() > extraEngines) {
							// Out of the pool first; deleted once no check can still be on its way.
							Engine old = extras.remove();
							target("engine:" + old.id).begin();
							pool.remove(old);
							sleep(holdMs);
							admin("DELETE", "/admin/engines/" + old.id, null);
						}
					}
					catch (Exception ex) {
						adminErrors.incrementAndGet();
						error("registration " + ex.getMessage());
					}
				}
				default -> {
					Engine engine = pool.get(ThreadLocalRandom.current().nextInt(pool.size()));
					String body = admin("POST", "/admin/engines/" + engine.id + "/keys/rotate", "{\"overlap\":\"PT1M\"}");
					Matcher key = (body != null) ? ENGINE_KEY.matcher(body) : null;
					if (key != null && key.find()) {
						engine.key = key.group(1);
					}
				}
			}
		}
	}

	/** Makes a change, holds it, undoes it; the target is marked from before to after. */
	static void hold(Target target, long holdMs, Runnable change, Runnable undo) {
		target.begin();
		try {
			change.run();
			sleep(holdMs);
		}
		finally {
			undo.run();
			target.end();
		}
	}

	/** An operator write; counted as a change, or as an error. Returns the body, or null. */
	static String admin(String method, String path, String body) {
		try {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
				.timeout(Duration.ofSeconds(10))
				.header("X-Engine-ID", "admin")
				.header("X-Engine-Key", adminKey);
			if (body != null) {
				request.header("Content-Type", "application/json")
					.method(method, HttpRequest.BodyPublishers.ofString(body));
			}
			else {
				request.method(method, HttpRequest.BodyPublishers.noBody());
			}
			HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() >= 300) {
				adminErrors.incrementAndGet();
				error(method + " " + path + " " + response.statusCode() + " " + response.body());
				return null;
			}
			adminChanges.incrementAndGet();
			return response.body();
		}
		catch (Exception ex) {
			adminErrors.incrementAndGet();
			error(method + " " + path + " transport " + ex);
			return null;
		}
	}

	static Engine register(String id) throws Exception {
		HttpResponse<String> response = post("/engines/register", "admin", adminKey,
				"{\"engine_id\":\"" + id + "\",\"description\":\"soak\",\"capabilities\":" + CAPABILITIES + "}");
		Matcher key = ENGINE_KEY.matcher(response.body());
		if (response.statusCode() != 201 || !key.find()) {
			throw new IllegalStateException("registering " + id + ": " + response.statusCode() + " " + response.body());
		}
		return new Engine(id, key.group(1));
	}

	static HttpResponse<String> post(String path, String engineId, String key, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("X-Engine-ID", engineId)
			.header("X-Engine-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/** The first 200 unexpected answers, for diagnosis (answers carry no key). */
	static void error(String line) {
		if (errorLines.incrementAndGet() <= 200) {
			errorLog.println(java.time.Instant.now() + " " + line.replaceAll("ec_[A-Za-z0-9_]+", "ec_…"));
		}
	}

	static void sleep(long ms) {
		try {
			Thread.sleep(ms);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static int[] sorted(int[] values, int from, int to) {
		int[] slice = Arrays.copyOfRange(values, from, Math.max(from, to));
		Arrays.sort(slice);
		return slice;
	}

	static double pct(int[] sorted, double p) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e3;
	}

}
