package io.puraifi.enginecontrol;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the command blocks of {@code docs/operators.md}, in order, in one bash shell
 * against the application on a random port over real HTTP, and compares each block's
 * answers with the ones the page shows: the HTTP statuses and the deny reasons, in order
 * (ids, times, keys and revisions differ from run to run). So a command that stops
 * working, or an answer that changes, fails the build instead of leaving the page wrong.
 * Skipped where bash, curl or python3 is missing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OperatorsDocIntegrationTests {

	static final String ADMIN_KEY = "operator-key-for-the-operators-page-0123456789abcdef";

	static final Path PAGE = Path.of("docs/operators.md");

	/** A bash block followed at once by the block of its answers. */
	private static final Pattern BLOCK = Pattern
		.compile("(?m)^```bash\\n((?:(?!```).*\\n)*?)```\\n```\\n((?:(?!```).*\\n)*?)```$");

	/**
	 * What must match: an HTTP status as the shorthands print it, a bare status, a
	 * reason.
	 */
	private static final Pattern OUTCOME = Pattern
		.compile("\\[(\\d{3})\\]$|^(\\d{3})$|\"reason\":\"([A-Z_]+)\"|^HTTP/1\\.1 (\\d{3})", Pattern.MULTILINE);

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
	void everyBlockOfTheOperatorsPageAnswersAsThePageShows() throws IOException, InterruptedException {
		Assumptions.assumeTrue(onPath("bash") && onPath("curl") && onPath("python3"),
				"bash, curl and python3 are needed to run the page's commands");
		List<String> commands = new ArrayList<>();
		List<String> shown = new ArrayList<>();
		Matcher matcher = BLOCK.matcher(Files.readString(PAGE, StandardCharsets.UTF_8));
		while (matcher.find()) {
			commands.add(matcher.group(1));
			shown.add(matcher.group(2));
		}
		assertThat(commands).as("command blocks with their answers on the page").hasSizeGreaterThanOrEqualTo(15);
		StringBuilder script = new StringBuilder(
				"""
						EC=http://localhost:%d
						ADMIN_KEY=%s
						as_admin() { curl -s -w ' [%%{http_code}]\\n' -H "X-Engine-ID: admin" -H "X-Engine-Key: $ADMIN_KEY" -H "Content-Type: application/json" "$@"; }
						as_action() { curl -s -w ' [%%{http_code}]\\n' -H "X-Engine-ID: action" -H "X-Engine-Key: $ACTION_KEY" -H "Content-Type: application/json" "$@"; }
						REG=$(as_admin -X POST "$EC/engines/register" -d '{"engine_id":"action","capabilities":{"gmail":["send_email"],"slack":["post_message"]}}')
						ACTION_KEY=$(printf '%%s' "$REG" | sed -n 's/.*"engine_key":"\\([^"]*\\)".*/\\1/p')
						"""
					.formatted(this.port, ADMIN_KEY));
		for (int i = 0; i < commands.size(); i++) {
			script.append("echo '@@block ").append(i).append("'\n").append(commands.get(i));
		}
		Path file = dataDir.resolve("operators.sh");
		Files.writeString(file, script, StandardCharsets.UTF_8);
		Process bash = new ProcessBuilder("bash", file.toString()).directory(dataDir.toFile())
			.redirectErrorStream(true)
			.start();
		String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(bash.waitFor(180, TimeUnit.SECONDS)).as(output).isTrue();
		String[] answers = output.split("(?m)^@@block \\d+\\n", -1);
		assertThat(answers).as(output).hasSize(commands.size() + 1);
		for (int i = 0; i < commands.size(); i++) {
			assertThat(outcomes(answers[i + 1]))
				.as("answers of the block\n%s\nwere\n%s", commands.get(i), answers[i + 1])
				.isEqualTo(outcomes(shown.get(i)));
		}
	}

	@Test
	void outcomesAreStatusesAndReasonsInOrder() {
		assertThat(outcomes("""
				{"allowed":false,"reason":"FLAG_DISABLED","flag":"global"} [200]
				 [204]
				200
				HTTP/1.1 200\s
				""")).containsExactly("200", "FLAG_DISABLED", "204", "200", "200");
	}

	static List<String> outcomes(String answers) {
		List<String> found = new ArrayList<>();
		for (String line : answers.split("\n")) {
			List<String> reasons = new ArrayList<>();
			String status = null;
			Matcher matcher = OUTCOME.matcher(line.strip());
			while (matcher.find()) {
				if (matcher.group(3) != null) {
					reasons.add(matcher.group(3));
				}
				else {
					status = (matcher.group(1) != null) ? matcher.group(1)
							: (matcher.group(2) != null) ? matcher.group(2) : matcher.group(4);
				}
			}
			if (status != null) {
				found.add(status);
			}
			found.addAll(reasons);
		}
		return found;
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
