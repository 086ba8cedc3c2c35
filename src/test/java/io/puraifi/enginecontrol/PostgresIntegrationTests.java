package io.puraifi.enginecontrol;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.puraifi.enginecontrol.support.ContractValidator;
import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service on a real PostgreSQL, over real HTTP: Flyway creates the schema on an
 * empty database, and what the API does lands in PostgreSQL tables.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PostgresIntegrationTests {

	private static final String ADMIN_KEY = "postgres-integration-tests-admin-key-0123456789";

	private static final TestDatabase database = TestDatabases.emptyPostgres(PostgresIntegrationTests.class);

	private static final Path dataDir = createDataDir();

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	private final JdbcClient jdbc = database.jdbcClient();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", database::url);
		registry.add("spring.datasource.username", database::username);
		registry.add("spring.datasource.password", database::password);
		registry.add("engine-control.data-dir", dataDir::toString);
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
	}

	@AfterAll
	static void deleteDataDir() throws IOException {
		FileSystemUtils.deleteRecursively(dataDir);
	}

	@Test
	void flywayCreatedTheSchemaInPostgres() {
		List<Map<String, Object>> migrations = this.jdbc
			.sql("select version, success from flyway_schema_history where version is not null order by installed_rank")
			.query()
			.listOfRows();
		assertThat(migrations).isNotEmpty().allSatisfy((row) -> assertThat(row.get("success")).isEqualTo(true));
		assertThat(migrations.get(0).get("version")).isEqualTo("1");
		assertThat(this.jdbc
			.sql("select required_scopes from platform_action where platform = 'gmail'"
					+ " and action_type = 'send_email'")
			.query(String.class)
			.single()).isEqualTo("mail.send");
	}

	@Test
	void adminRegistersAnEngineWhoseCheckIsAllowedAndWhoseRowsAreInPostgres() throws Exception {
		HttpResponse<String> registered = post("/engines/register", "admin", ADMIN_KEY,
				"{\"engine_id\":\"action\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		assertThat(registered.statusCode()).isEqualTo(201);
		JsonNode registration = this.json.readTree(registered.body());
		String key = registration.get("engine_key").asString();
		assertThat(key).startsWith("ec_");

		HttpResponse<String> checked = post("/actions/check", "action", key,
				"{\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
		assertThat(checked.statusCode()).isEqualTo(200);
		JsonNode decision = this.json.readTree(checked.body());
		assertThat(decision.get("allowed").asBoolean()).isTrue();
		assertThat(decision.get("reason").asString()).isEqualTo("ALLOWED");
		assertThat(decision.get("required_scopes").values()).extracting(JsonNode::asString)
			.containsExactly("mail.send");

		Map<String, Object> engine = this.jdbc
			.sql("select role, status, created_at from engine where engine_id = 'action'")
			.query()
			.singleRow();
		assertThat(engine).containsEntry("role", "ENGINE").containsEntry("status", "ACTIVE");
		assertThat(createdAt("action")).isEqualTo(Instant.parse(registration.get("created_at").asString()));
		assertThat(this.jdbc.sql("select platform, action_type from engine_grant where engine_id = 'action'")
			.query()
			.listOfRows()).containsExactly(Map.of("platform", "gmail", "action_type", "send_email"));
		List<Map<String, Object>> keys = this.jdbc
			.sql("select key_id, engine_id, key_hash from engine_key where engine_id = 'action'")
			.query()
			.listOfRows();
		assertThat(keys).hasSize(1);
		assertThat(keys.get(0)).containsEntry("key_hash", sha256Hex(key));
		assertThat(keys.get(0).values()).allSatisfy((value) -> assertThat(value.toString()).doesNotContain(key));
	}

	@Test
	void bootstrapAdminIsStoredWithTheHashOfItsKey() {
		assertThat(this.jdbc.sql("select role from engine where engine_id = 'admin'").query(String.class).single())
			.isEqualTo("ADMIN");
		assertThat(
				this.jdbc.sql("select key_hash from engine_key where engine_id = 'admin'").query(String.class).list())
			.containsExactly(sha256Hex(ADMIN_KEY));
	}

	private Instant createdAt(String engineId) {
		return this.jdbc.sql("select created_at from engine where engine_id = :engineId")
			.param("engineId", engineId)
			.query((rs, row) -> rs.getObject("created_at", OffsetDateTime.class).toInstant())
			.single();
	}

	private HttpResponse<String> post(String path, String engineId, String key, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("X-Engine-ID", engineId)
			.header("X-Engine-Key", key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return ContractValidator.check(this.http.send(request, HttpResponse.BodyHandlers.ofString()), body);
	}

	private static String sha256Hex(String key) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Path createDataDir() {
		try {
			return Files.createTempDirectory("engine-control-postgres-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
