package io.puraifi.enginecontrol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI description the service serves at {@code /v3/api-docs} is the contract,
 * committed as {@code src/test/resources/openapi.json}: the Java client of
 * {@link GeneratedClientIntegrationTests} is generated from that file during the build,
 * and this test fails when the served description differs from it. The comparison is
 * semantic (parsed JSON, key order ignored); only {@code info.version}, the project
 * version, is left out of it.
 * <p>
 * After a change to the API, rewrite the file from the served description, review the
 * diff and commit it:
 *
 * <pre>
 * ./mvnw -B test -Dtest=OpenApiContractIntegrationTests -Dopenapi.write=true
 * </pre>
 *
 * The command compiles the tests first, so rewrite the file before a test calls a new
 * operation through the generated client.
 *
 * The file is written with keys sorted and two-space indentation, so a rewrite shows only
 * what changed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiContractIntegrationTests {

	/**
	 * The committed contract, relative to the project directory: under {@code src/},
	 * which every build has (the Docker build copies only {@code src/} and the POM),
	 * since the client is generated from it before the tests compile.
	 */
	static final Path CONTRACT = Path.of("src", "test", "resources", "openapi.json");

	static final String WRITE_PROPERTY = "openapi.write";

	static final String WRITE_COMMAND = "./mvnw -B test -Dtest=OpenApiContractIntegrationTests -D" + WRITE_PROPERTY
			+ "=true";

	/** Differences listed in a failure message at most; the rest are counted. */
	private static final int SHOWN_DIFFERENCES = 20;

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
		.enable(SerializationFeature.INDENT_OUTPUT)
		.build();

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
	}

	@LocalServerPort
	int port;

	@Test
	void servedDescriptionIsTheCommittedContract() throws IOException {
		Response docs = new EngineControlClient(this.port, null, null).get("/v3/api-docs");
		assertThat(docs.status()).isEqualTo(200);
		JsonNode served = JSON.readTree(docs.body());
		if (Boolean.getBoolean(WRITE_PROPERTY)) {
			Files.writeString(CONTRACT, JSON.writeValueAsString(served) + "\n", StandardCharsets.UTF_8);
		}
		assertThat(CONTRACT).as("%s is missing; write it with: %s", CONTRACT, WRITE_COMMAND).exists();
		JsonNode committed = JSON.readTree(Files.readString(CONTRACT, StandardCharsets.UTF_8));
		List<String> differences = differences(withoutVersion(committed), withoutVersion(served));
		assertThat(differences)
			.as("The served /v3/api-docs differs from %s (the contract the generated client is built from) at %s.%n"
					+ "If the change is intended, rewrite the file, review the diff and commit it:%n  %s", CONTRACT,
					shown(differences), WRITE_COMMAND)
			.isEmpty();
	}

	@Test
	void differencesNameThePathsThatDiffer() {
		JsonNode committed = JSON.readTree("{\"a\":{\"b\":1,\"c\":[1,2]},\"d\":\"x\",\"info\":{\"version\":\"1\"}}");
		JsonNode reordered = JSON.readTree("{\"info\":{\"version\":\"2\"},\"d\":\"x\",\"a\":{\"c\":[1,2],\"b\":1}}");
		assertThat(differences(withoutVersion(committed), withoutVersion(reordered))).isEmpty();
		JsonNode changed = JSON.readTree("{\"a\":{\"b\":2,\"c\":[1],\"e\":true},\"info\":{\"version\":\"1\"}}");
		assertThat(differences(committed, changed)).containsExactly("/a/b", "/a/c (2 items, now 1)", "/a/e (added)",
				"/d (removed)");
	}

	private static JsonNode withoutVersion(JsonNode document) {
		JsonNode copy = document.deepCopy();
		if (copy.get("info") instanceof ObjectNode info) {
			info.remove("version");
		}
		return copy;
	}

	/** JSON pointers where the two documents differ, in a stable order. */
	static List<String> differences(JsonNode expected, JsonNode actual) {
		List<String> found = new ArrayList<>();
		collect("", expected, actual, found);
		return found;
	}

	private static void collect(String pointer, JsonNode expected, JsonNode actual, List<String> found) {
		if (expected.equals(actual)) {
			return;
		}
		if (expected.isObject() && actual.isObject()) {
			Set<String> names = new TreeSet<>(expected.propertyNames());
			names.addAll(actual.propertyNames());
			for (String name : names) {
				String child = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
				if (!actual.has(name)) {
					found.add(child + " (removed)");
				}
				else if (!expected.has(name)) {
					found.add(child + " (added)");
				}
				else {
					collect(child, expected.get(name), actual.get(name), found);
				}
			}
		}
		else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
			for (int i = 0; i < expected.size(); i++) {
				collect(pointer + "/" + i, expected.get(i), actual.get(i), found);
			}
		}
		else if (expected.isArray() && actual.isArray()) {
			found.add(pointer + " (" + expected.size() + " items, now " + actual.size() + ")");
		}
		else {
			found.add(pointer);
		}
	}

	private static String shown(List<String> differences) {
		List<String> shown = differences.subList(0, Math.min(SHOWN_DIFFERENCES, differences.size()));
		String more = (differences.size() > shown.size())
				? String.format("%n    ... and %d more", differences.size() - shown.size()) : "";
		return String.format("%n    %s", String.join(String.format("%n    "), shown)) + more;
	}

}
