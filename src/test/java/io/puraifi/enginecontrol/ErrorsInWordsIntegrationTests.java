package io.puraifi.enginecontrol;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import io.puraifi.enginecontrol.system.Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP, each rule a client can break is explained in words, naming the field as
 * the client sent it; bodies in another media type are told to send JSON; and answers are
 * JSON or problem+json whatever the client accepts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ErrorsInWordsIntegrationTests {

	static final String ADMIN_KEY = "operator-key-for-errors-in-words-0123456789";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
	}

	@LocalServerPort
	int port;

	private EngineControlClient admin() {
		return new EngineControlClient(this.port, "admin", ADMIN_KEY);
	}

	@Test
	void registerWhenIdAndPlatformBreakTheirRulesThenEachIsNamedAsSentWithItsRuleInWords() {
		Response response = admin().post("/engines/register",
				"{\"engine_id\":\"A\",\"capabilities\":{\"Gmail\":[\"send\"],\"slack\":[\"post\",\"Post\"]}}");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(errors(response.json())).containsExactly("capabilities.Gmail: " + Names.NAME_RULE,
				"capabilities.slack[1]: " + Names.NAME_RULE, "engine_id: " + Names.ENGINE_ID_RULE);
		assertThat(response.json().get("detail").asString()).contains("capabilities.Gmail " + Names.NAME_RULE)
			.contains("engine_id " + Names.ENGINE_ID_RULE);
		assertThat(response.body()).doesNotContain("[_gmail]").doesNotContain("^[a-z]");
	}

	@Test
	void pathWhenEngineIdBreaksItsRuleThenTheRuleInWords() {
		Response response = admin().get("/admin/engines/A");
		assertThat(response.status()).isEqualTo(400);
		assertThat(errors(response.json())).containsExactly("engine_id: " + Names.ENGINE_ID_RULE);
		assertThat(response.json().get("detail").asString()).contains(Names.ENGINE_ID_RULE);
	}

	@Test
	void formOrTextBodyThenUnsupportedMediaTypeSaysToSendJson() throws Exception {
		for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "application/xml", "*/*")) {
			HttpResponse<String> response = postAs(type, "engine_id=mailer");
			assertThat(response.statusCode()).as(type).isEqualTo(415);
			assertThat(response.headers().firstValue("Content-Type")).as(type).contains("application/problem+json");
			assertThat(detail(response.body())).as(type).contains("Content-Type: application/json");
		}
	}

	@Test
	void keyWithARawLineEndThenSaysWhereAndHowToEscapeItWithoutEchoingTheKey() {
		Response response = admin().post("/engines/validate",
				"{\"engine_id\":\"admin\",\n\"engine_key\":\"ec_pasted_secret_key\n\"}");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("detail").asString())
			.isEqualTo("The request body is not valid JSON: a raw control character (code 10) inside a string at "
					+ "line 2, column 35; escape it: a line end as \\n, a tab as \\t, others as \\u00XX");
		assertThat(response.body()).doesNotContain("pasted_secret");
	}

	@Test
	void commonJsonMistakesThenSaidInWordsWithoutEchoingTheBody() {
		assertThat(detail(admin().post("/engines/validate", "{\"engine_id\":\"admin\",\"engine_key\":\"k\",}")))
			.isEqualTo("The request body is not valid JSON: '}' at line 1, column 39 where a field name was expected; "
					+ "a trailing comma is not allowed");
		assertThat(detail(admin().post("/engines/validate", "{\"engine_id\":\"admin\",\"engine_key\":ec_secret}")))
			.isEqualTo("The request body is not valid JSON: a word that is not a JSON value at line 1, column 35; "
					+ "strings take double quotes");
		assertThat(detail(admin().post("/engines/validate", "{\"engine_id\":\"admin\"")))
			.isEqualTo("The request body is not valid JSON: the body ends before the JSON is complete at line 1, "
					+ "column 21");
		Response unknown = admin().post("/engines/validate",
				"{\"engine_id\":\"admin\",\"engine_key\":\"k\",\"key\":1}");
		assertThat(errors(unknown.json()))
			.containsExactly("key: is not a field of this request; the fields are engine_id, engine_key");
		Response wrongType = admin().post("/actions/check",
				"{\"platform\":[\"gmail\"],\"action_type\":\"send_email\"}");
		assertThat(wrongType.json().get("detail").asString()).isEqualTo("Field 'platform' must be a string");
		assertThat(errors(wrongType.json())).containsExactly("platform: must be a string");
		Response wrongLevel = admin().post("/log/engine_events",
				"{\"events\":[{\"level\":\"info\",\"event_type\":\"a\"},{\"level\":\"loud\",\"event_type\":\"b\"}]}");
		assertThat(errors(wrongLevel.json()))
			.containsExactly("events[1].level: must be one of debug, info, warn, error");
	}

	@Test
	void answersAreJsonOrProblemJsonWhateverTheClientAccepts() {
		for (String accept : List.of("text/plain", "application/xml", "text/html", "text/*")) {
			EngineControlClient client = admin().withHeader("Accept", accept);
			for (String path : List.of("/platforms/list", "/admin/engines", "/admin/engines/A", "/no/such/endpoint",
					"/v3/api-docs")) {
				Response response = client.get(path);
				assertThat(response.contentType()).as("%s with Accept: %s", path, accept)
					.isIn("application/json", "application/problem+json");
				assertThat(JSON.readTree(response.body()).isObject()).isTrue();
			}
			Response refused = client.get("/platforms/list");
			assertThat(refused.status()).isEqualTo(406);
			assertThat(detail(refused)).contains("send Accept: application/json");
			Response refusedWrite = client.post("/actions/check",
					"{\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
			assertThat(refusedWrite.status()).isEqualTo(406);
			assertThat(detail(refusedWrite)).contains("refused before anything was done")
				.contains("send Accept: application/json");
		}
	}

	private HttpResponse<String> postAs(String contentType, String body) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/engines/register"))
			.header("X-Engine-ID", "admin")
			.header("X-Engine-Key", ADMIN_KEY)
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static String detail(Response response) {
		assertThat(response.status()).isIn(400, 406);
		return response.json().get("detail").asString();
	}

	private static String detail(String body) {
		return JSON.readTree(body).get("detail").asString();
	}

	private static List<String> errors(JsonNode problem) {
		List<String> errors = new ArrayList<>();
		for (JsonNode error : problem.get("errors")) {
			errors.add(error.get("field").asString() + ": " + error.get("message").asString());
		}
		return errors;
	}

}
