package io.puraifi.enginecontrol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the commands and programs the docs show, against the service on a random port with
 * a fresh H2 data directory, so that the docs cannot rot. A block is selected by an HTML
 * comment before it, invisible when the Markdown is rendered; the code block right after
 * it, when there is one, is what the page says the block prints.
 * <ul>
 * <li>{@code <!-- run -->}: the walk-through's bash blocks, the README's then
 * {@code docs/walk-through.md}'s, in one bash process in a directory whose {@code data/}
 * is the service's, as the walk-through expects;</li>
 * <li>{@code <!-- run: engine -->}: the curl blocks of {@code docs/engine-authors.md}, in
 * one bash process with {@code EC}, {@code ENGINE_ID} and {@code ENGINE_KEY} set;</li>
 * <li>{@code <!-- run: python -->} and {@code <!-- run: java -->}: the programs of
 * {@code docs/engine-authors.md}, run with {@code python3} and with {@code java} in
 * single-file source mode (the JDK running the tests), with the same variables.</li>
 * </ul>
 * The programs must exit 0 and print exactly what is shown. A bash block must print, in
 * order, the statuses ({@code [200]}), the {@code reason}s and the plain lines (those
 * that are not JSON) shown, numbers aside: ids, keys, times and revisions differ from run
 * to run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DocsExamplesIntegrationTests {

	private static final Pattern MARKED_BLOCK = Pattern
		.compile("<!-- run(?:: (\\w+))? -->\\n```(\\w+)\\n(.*?)```\\n(?:```\\n(.*?)```\\n)?", Pattern.DOTALL);

	private static final Pattern STATUS = Pattern.compile("\\[(\\d{3})]\\s*$");

	private static final Pattern REASON = Pattern.compile("\"reason\":\"([A-Z_]+)\"");

	private static final String MARKER = "@@docs-block@@";

	/**
	 * The walk-through's project directory: {@code data/} is the service's data
	 * directory.
	 */
	@TempDir
	static Path projectDir;

	@TempDir
	Path scratch;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> projectDir.resolve("data").toString());
	}

	@LocalServerPort
	int port;

	@Test
	void walkThroughBlocksPrintTheStatusesReasonsAndLinesTheDocsShow() throws Exception {
		List<Block> blocks = new ArrayList<>(blocks(Path.of("README.md"), null));
		assertThat(blocks).as("README walk-through blocks").hasSizeGreaterThanOrEqualTo(7);
		blocks.addAll(blocks(Path.of("docs/walk-through.md"), null));
		assertThat(blocks).as("README and docs/walk-through.md blocks").hasSizeGreaterThanOrEqualTo(16);
		List<String> outputs = runBash(blocks, projectDir, Map.of());
		assertPrintsWhatIsShown(blocks, outputs);
	}

	@Test
	void engineAuthorsCurlBlocksPrintTheStatusesReasonsAndLinesThePageShows() throws Exception {
		List<Block> blocks = blocks(Path.of("docs/engine-authors.md"), "engine");
		assertThat(blocks).hasSizeGreaterThanOrEqualTo(3);
		List<String> outputs = runBash(blocks, this.scratch, engineEnvironment(register("curl")));
		assertPrintsWhatIsShown(blocks, outputs);
	}

	@Test
	void engineAuthorsPythonExampleExitsZeroAndPrintsWhatThePageShows() throws Exception {
		Block example = single(blocks(Path.of("docs/engine-authors.md"), "python"));
		Run run = runProgram(example, register("py"));
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		assertThat(run.stdout().strip()).as(run.stderr()).isEqualTo(example.shown().strip());
	}

	@Test
	void engineAuthorsJavaExampleExitsZeroAndPrintsWhatThePageShows() throws Exception {
		Block example = single(blocks(Path.of("docs/engine-authors.md"), "java"));
		Run run = runProgram(example, register("java"));
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		assertThat(run.stdout().strip()).as(run.stderr()).isEqualTo(example.shown().strip());
	}

	@Test
	void engineAuthorsPythonExampleWaitsOutRetryAfterWhenOverItsChecksBudget() throws Exception {
		assertRetriesAfterRetryAfter(single(blocks(Path.of("docs/engine-authors.md"), "python")), "py-budget");
	}

	@Test
	void engineAuthorsJavaExampleWaitsOutRetryAfterWhenOverItsChecksBudget() throws Exception {
		assertRetriesAfterRetryAfter(single(blocks(Path.of("docs/engine-authors.md"), "java")), "java-budget");
	}

	/**
	 * With one check a second, the program's second check is refused with 429 and
	 * {@code Retry-After: 1}; waiting that out, it gets its answer and prints what the
	 * page shows.
	 */
	private void assertRetriesAfterRetryAfter(Block example, String suffix) throws Exception {
		EngineControlClient engine = register(suffix);
		Response budget = admin().put("/admin/engines/" + engine.engineId() + "/budget",
				"{\"checks_per_second\":1,\"checks_burst\":1}");
		assertThat(budget.status()).as(budget.body()).isEqualTo(200);
		double refusedBefore = checksRefusedForBudget();
		Run run = runProgram(example, engine);
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		assertThat(run.stdout().strip()).as(run.stderr()).isEqualTo(example.shown().strip());
		assertThat(checksRefusedForBudget()).as("checks refused with 429 budget-exceeded").isGreaterThan(refusedBefore);
	}

	private double checksRefusedForBudget() {
		String metrics = admin().get("/actuator/prometheus").body();
		Matcher matcher = Pattern.compile("(?m)^engine_control_budget_refused_total\\{budget=\"checks\"} (\\S+)$")
			.matcher(metrics);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

	/**
	 * Runs a program of the page: Python with python3, Java in single-file source mode.
	 */
	private Run runProgram(Block example, EngineControlClient engine) throws Exception {
		Map<String, String> environment = engineEnvironment(engine);
		if (example.language().equals("python")) {
			Path program = Files.writeString(this.scratch.resolve("check_and_report.py"), example.code());
			return run(List.of("python3", program.toString()), this.scratch, environment);
		}
		Files.writeString(this.scratch.resolve("CheckAndReport.java"), example.code());
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		return run(List.of(java, "CheckAndReport.java"), this.scratch, environment);
	}

	/**
	 * What the test compares of a bash block's output: per line, the HTTP status printed
	 * as {@code [NNN]} and every {@code reason} of a JSON line, or a plain line (one that
	 * is not JSON and not indented) whole, with every number made 0.
	 */
	static List<String> comparable(String output) {
		List<String> items = new ArrayList<>();
		for (String line : output.split("\n")) {
			String trimmed = line.strip();
			if (trimmed.isEmpty()) {
				continue;
			}
			boolean json = trimmed.startsWith("{") || trimmed.startsWith("}") || trimmed.startsWith("]")
					|| trimmed.startsWith("\"") || !line.equals(line.stripLeading());
			if (!json && !trimmed.matches("\\[\\d{3}]")) {
				items.add("line " + trimmed.replaceAll("\\d+", "0"));
				continue;
			}
			Matcher reason = REASON.matcher(trimmed);
			while (reason.find()) {
				items.add("reason " + reason.group(1));
			}
			Matcher status = STATUS.matcher(trimmed);
			if (status.find()) {
				items.add("status " + status.group(1));
			}
		}
		return items;
	}

	private static void assertPrintsWhatIsShown(List<Block> blocks, List<String> outputs) {
		assertThat(outputs).hasSize(blocks.size());
		int compared = 0;
		for (int i = 0; i < blocks.size(); i++) {
			Block block = blocks.get(i);
			if (block.shown() == null) {
				continue;
			}
			List<String> expected = comparable(block.shown());
			compared += expected.size();
			assertThat(comparable(outputs.get(i)))
				.as("%s, block %d:%n%s%nprinted:%n%s", block.file(), block.index(), block.code(), outputs.get(i))
				.containsExactlyElementsOf(expected);
		}
		assertThat(compared).as("statuses, reasons and lines compared").isGreaterThan(blocks.size());
	}

	private static List<Block> blocks(Path file, String kind) throws IOException {
		String text = Files.readString(file, StandardCharsets.UTF_8);
		List<Block> blocks = new ArrayList<>();
		Matcher matcher = MARKED_BLOCK.matcher(text);
		int index = 0;
		while (matcher.find()) {
			String marked = matcher.group(1);
			if ((kind == null) ? marked == null : kind.equals(marked)) {
				blocks.add(new Block(file.toString(), ++index, matcher.group(2), matcher.group(3), matcher.group(4)));
			}
		}
		return blocks;
	}

	private static Block single(List<Block> blocks) {
		assertThat(blocks).hasSize(1);
		assertThat(blocks.get(0).shown()).as("the output shown after the program").isNotBlank();
		return blocks.get(0);
	}

	/** Runs the blocks in order in one bash process; returns what each printed. */
	private List<String> runBash(List<Block> blocks, Path directory, Map<String, String> environment) throws Exception {
		StringBuilder script = new StringBuilder();
		for (Block block : blocks) {
			script.append("echo '").append(MARKER).append("'\n");
			script.append(block.code().replace("http://localhost:8080", baseUrl()));
		}
		Path file = Files.writeString(this.scratch.resolve("blocks.sh"), script.toString());
		Run run = run(List.of("bash", file.toString()), directory, environment);
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		String[] parts = run.stdout().split(MARKER + "\n", -1);
		List<String> outputs = new ArrayList<>();
		for (int i = 1; i < parts.length; i++) {
			outputs.add(parts[i]);
		}
		return outputs;
	}

	private static Run run(List<String> command, Path directory, Map<String, String> environment) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
		builder.environment().putAll(environment);
		Process process = builder.start();
		process.getOutputStream().close();
		CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
		CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
		if (!process.waitFor(3, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new AssertionError(command + " did not end within 3 minutes");
		}
		return new Run(process.exitValue(), stdout.get(), stderr.get());
	}

	private static String read(InputStream stream) {
		try (stream) {
			return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Registers an engine that may send email through Gmail, as the examples expect. */
	private EngineControlClient register(String suffix) {
		String engineId = "mailer-" + suffix;
		Response registered = admin().post("/engines/register",
				"{\"engine_id\":\"" + engineId + "\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		return new EngineControlClient(this.port, engineId, registered.json().get("engine_key").asString());
	}

	private EngineControlClient admin() {
		try {
			String key = Files.readString(projectDir.resolve("data/bootstrap-admin.key")).strip();
			return new EngineControlClient(this.port, "admin", key);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Map<String, String> engineEnvironment(EngineControlClient engine) {
		return Map.of("EC", baseUrl(), "ENGINE_ID", engine.engineId(), "ENGINE_KEY", engine.key());
	}

	private String baseUrl() {
		return "http://localhost:" + this.port;
	}

	/**
	 * A marked code block.
	 *
	 * @param file the page
	 * @param index its place among the page's blocks of its kind, from 1
	 * @param language the language the block names ({@code bash}, {@code python}, ...)
	 * @param code the code
	 * @param shown the output block right after it, or null
	 */
	record Block(String file, int index, String language, String code, String shown) {
	}

	record Run(int exitCode, String stdout, String stderr) {
	}

}
