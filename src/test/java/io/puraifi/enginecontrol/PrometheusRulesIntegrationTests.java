package io.puraifi.enginecontrol;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules shipped in {@code docs/prometheus/} are valid ({@code promtool check
 * rules}), behave as their unit tests say ({@code promtool test rules}), and name only
 * series that a real scrape of the application has. The promtool tests are skipped where
 * promtool is not on the PATH ({@code .ci/run} installs Debian's {@code prometheus}). And
 * the metrics table of {@code docs/operations.md} names every series of the service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PrometheusRulesIntegrationTests {

	static final String ADMIN_KEY = "operator-key-for-prometheus-rules-0123456789abcdef";

	static final Path RULES = Path.of("docs/prometheus/engine-control-rules.yml");

	static final Path RULE_TESTS = Path.of("docs/prometheus/engine-control-rules.test.yml");

	static final Path OPERATIONS = Path.of("docs/operations.md");

	/** Series Prometheus makes itself for every target, never in a scrape. */
	static final Set<String> PROMETHEUS_OWN = Set.of("up");

	/** Words of PromQL that look like series names: operators, keywords, functions. */
	static final Set<String> PROMQL_WORDS = Set.of("sum", "by", "without", "rate", "increase", "histogram_quantile",
			"or", "and", "unless", "offset", "on", "ignoring", "group_left", "group_right", "max", "min", "avg",
			"count", "bool", "absent", "irate", "delta", "deriv", "humanizePercentage", "humanizeDuration");

	private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
	}

	@LocalServerPort
	int port;

	@Test
	void promtoolAcceptsTheRules() throws IOException, InterruptedException {
		Assumptions.assumeTrue(onPath("promtool"), "promtool is not on the PATH (Debian package prometheus)");
		assertThat(promtool("check", "rules", RULES.toString())).endsWith("exit 0");
	}

	@Test
	void promtoolUnitTestsOfTheRulesPass() throws IOException, InterruptedException {
		Assumptions.assumeTrue(onPath("promtool"), "promtool is not on the PATH (Debian package prometheus)");
		String report = promtool("test", "rules", RULE_TESTS.toString());
		assertThat(report).contains("SUCCESS").doesNotContain("FAILED").endsWith("exit 0");
	}

	@Test
	void everySeriesTheRulesNameIsInARealScrape() throws IOException {
		EngineControlClient admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
		// A decision, so that the lazily created decision counters exist.
		assertThat(admin.post("/actions/check", "{\"platform\":\"gmail\",\"action_type\":\"send_email\"}").status())
			.isEqualTo(200);
		EngineControlClient.Response metrics = admin.get("/actuator/prometheus");
		assertThat(metrics.status()).isEqualTo(200);
		Set<String> scraped = new TreeSet<>();
		for (String line : metrics.body().split("\n")) {
			if (!line.startsWith("#") && !line.isBlank()) {
				Matcher matcher = NAME.matcher(line);
				if (matcher.lookingAt()) {
					scraped.add(matcher.group());
				}
			}
		}
		Set<String> named = seriesNamedByTheRules();
		assertThat(named).as("series named by the rules").hasSizeGreaterThanOrEqualTo(10);
		List<String> missing = new ArrayList<>();
		for (String name : named) {
			if (!scraped.contains(name) && !PROMETHEUS_OWN.contains(name)) {
				missing.add(name);
			}
		}
		assertThat(missing).as("series the rules name that /actuator/prometheus does not have").isEmpty();
	}

	@Test
	void everySeriesOfTheServiceIsInTheMetricsTable() throws IOException {
		EngineControlClient admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
		assertThat(admin.post("/actions/check", "{\"platform\":\"gmail\",\"action_type\":\"send_email\"}").status())
			.isEqualTo(200);
		String page = Files.readString(OPERATIONS, StandardCharsets.UTF_8);
		List<String> missing = new ArrayList<>();
		Matcher type = Pattern.compile("(?m)^# TYPE (engine_control_\\w+) ")
			.matcher(admin.get("/actuator/prometheus").body());
		int families = 0;
		while (type.find()) {
			families++;
			String name = type.group(1);
			String base = name.endsWith("_max") ? name.substring(0, name.length() - "_max".length()) : name;
			if (!page.contains("`" + name + "`") && !page.contains("`" + base + "`")) {
				missing.add(name);
			}
		}
		assertThat(families).as("engine_control_* families in the scrape").isGreaterThanOrEqualTo(20);
		assertThat(missing).as("series of the service missing from the metrics table of " + OPERATIONS).isEmpty();
	}

	@Test
	void theRuleParserFindsSeriesNamesOnly() {
		assertThat(
				seriesIn("sum by (instance, le) (rate(engine_control_a_total{result=\"error\", reason=~\"X|Y\"}[5m]))"
						+ " / sum(rate(b_total[10m] offset 5m)) > 0.5 or up{job=\"engine-control\"} == 0"))
			.containsExactlyInAnyOrder("engine_control_a_total", "b_total", "up");
	}

	@SuppressWarnings("unchecked")
	static Set<String> seriesNamedByTheRules() throws IOException {
		Map<String, Object> file;
		try (Reader reader = Files.newBufferedReader(RULES, StandardCharsets.UTF_8)) {
			file = new Yaml().load(reader);
		}
		Set<String> names = new TreeSet<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				names.addAll(seriesIn(String.valueOf(rule.get("expr"))));
			}
		}
		return names;
	}

	/**
	 * The series names in a PromQL expression: what is left once label matchers, ranges,
	 * grouping clauses, function calls, keywords and numbers are taken out.
	 */
	static Set<String> seriesIn(String expr) {
		String stripped = expr.replaceAll("\\{[^}]*\\}", " ")
			.replaceAll("\\[[^\\]]*\\]", " ")
			.replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ")
			.replaceAll("\\boffset\\s+\\w+", " ");
		Set<String> names = new TreeSet<>();
		Matcher matcher = NAME.matcher(stripped);
		while (matcher.find()) {
			String word = matcher.group();
			boolean call = stripped.substring(matcher.end()).stripLeading().startsWith("(");
			if (!call && !PROMQL_WORDS.contains(word)) {
				names.add(word);
			}
		}
		return names;
	}

	private static String promtool(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add("promtool");
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String report = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(report).isTrue();
		assertThat(process.exitValue()).as(report).isZero();
		return report.strip() + "\nexit " + process.exitValue();
	}

	private static boolean onPath(String command) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String dir : path.split(File.pathSeparator)) {
			if (new File(dir, command).canExecute()) {
				return true;
			}
		}
		return false;
	}

}
