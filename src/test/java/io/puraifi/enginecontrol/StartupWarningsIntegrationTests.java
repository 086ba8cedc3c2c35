package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A first start with the default settings logs only the warnings the operations guide
 * explains: the generated operator key, and Flyway's note that it has not been verified
 * with this H2 version. A second start on the same data directory logs no key warning.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupWarningsIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path dataDir;

	@Test
	void firstStartWarnsOnlyOfTheGeneratedKeyAndTheH2VersionAndASecondStartOnlyOfTheH2Version(CapturedOutput output) {
		List<String> first = warningsOfAStart(output);
		assertThat(first).containsExactlyInAnyOrder(
				"io.puraifi.enginecontrol.engine.AdminBootstrap: generated the operator key; read it from the key file",
				"org.flywaydb.core.internal.database.base.Database: Using H2");
		List<String> second = warningsOfAStart(output);
		assertThat(second).containsExactly("org.flywaydb.core.internal.database.base.Database: Using H2");
	}

	/**
	 * The logger and message of each WARN line this start logged (Flyway's cut after
	 * "Using H2").
	 */
	private List<String> warningsOfAStart(CapturedOutput output) {
		int from = output.getOut().length();
		try (ConfigurableApplicationContext application = new SpringApplicationBuilder(EngineControlApplication.class)
			.run("--server.port=0", "--engine-control.data-dir=" + this.dataDir)) {
			// started: every start-up line is written
		}
		List<String> warnings = new ArrayList<>();
		for (String line : output.getOut().substring(from).split("\n")) {
			if (!line.startsWith("{") || !line.contains("\"WARN\"")) {
				continue;
			}
			JsonNode entry = JSON.readTree(line);
			if (!"WARN".equals(entry.path("level").asString())) {
				continue;
			}
			String message = entry.path("message").asString();
			warnings.add(entry.path("logger_name").asString() + ": "
					+ (message.startsWith("Using H2 ") ? "Using H2" : message));
		}
		return warnings;
	}

}
