package io.puraifi.enginecontrol.platform;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link PlatformRepository} store must do. Each database runs these cases
 * through a small subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PlatformRepositoryContractTests {

	private static final Instant FIRST = Instant.parse("2025-03-04T05:06:07.123456Z");

	private static final Instant SECOND = Instant.parse("2025-03-05T00:00:00.000001Z");

	private static final Instant THIRD = Instant.parse("2025-03-06T23:59:59.999999Z");

	private PlatformRepository repository;

	private JdbcClient jdbc;

	abstract TestDatabase createDatabase();

	@BeforeAll
	void createRepository() {
		TestDatabase database = createDatabase();
		this.jdbc = database.jdbcClient();
		this.repository = new JdbcPlatformRepository(this.jdbc, database.transactionTemplate());
	}

	@BeforeEach
	void deletePlatforms() {
		this.jdbc.sql("delete from platform").update();
	}

	@Test
	void applyDefinitionWhenNewThenInsertsAvailablePlatformWithActions() {
		this.repository.applyDefinition(gmail("v1", actions("send_email", List.of("mail.send"), "read_email",
				List.of("mail.read", "https://example.com/auth/mail.metadata"))), FIRST);
		Platform platform = this.repository.findByName("gmail").get();
		assertThat(platform.name()).isEqualTo("gmail");
		assertThat(platform.displayName()).isEqualTo("Gmail");
		assertThat(platform.version()).isEqualTo("v1");
		assertThat(platform.status()).isEqualTo(PlatformStatus.AVAILABLE);
		assertThat(platform.statusMessage()).isNull();
		assertThat(platform.updatedAt()).isEqualTo(FIRST);
		assertThat(platform.actions()).containsOnlyKeys("read_email", "send_email");
		assertThat(platform.requiredScopes("send_email")).containsExactly("mail.send");
		assertThat(platform.requiredScopes("delete_email")).isNull();
	}

	@Test
	void applyDefinitionKeepsTheOrderOfScopes() {
		this.repository.applyDefinition(gmail("v1", actions("send_email", List.of("z.scope", "a.scope", "m.scope"))),
				FIRST);
		assertThat(this.repository.findByName("gmail").get().requiredScopes("send_email")).containsExactly("z.scope",
				"a.scope", "m.scope");
	}

	@Test
	void applyDefinitionOfAnActionWithoutScopesThenNoScopes() {
		this.repository.applyDefinition(gmail("v1", actions("ping", List.of())), FIRST);
		assertThat(this.repository.findByName("gmail").get().requiredScopes("ping")).isEmpty();
	}

	@Test
	void applyDefinitionWhenKnownThenUpdatesDefinitionKeepsStatusAndReplacesActions() {
		this.repository.applyDefinition(
				gmail("v1", actions("send_email", List.of("mail.send"), "read_email", List.of("mail.read"))), FIRST);
		assertThat(this.repository.updateStatus("gmail", PlatformStatus.MAINTENANCE, "Quota upgrade", SECOND)).isTrue();
		this.repository.applyDefinition(new PlatformDefinition("gmail", "Google Mail", "v2",
				actions("send_email", List.of("mail.compose", "mail.send"), "label_email", List.of("mail.labels"))),
				THIRD);
		Platform platform = this.repository.findByName("gmail").get();
		assertThat(platform.displayName()).isEqualTo("Google Mail");
		assertThat(platform.version()).isEqualTo("v2");
		assertThat(platform.status()).isEqualTo(PlatformStatus.MAINTENANCE);
		assertThat(platform.statusMessage()).isEqualTo("Quota upgrade");
		assertThat(platform.updatedAt()).isEqualTo(THIRD);
		assertThat(platform.actions()).containsOnlyKeys("label_email", "send_email");
		assertThat(platform.requiredScopes("send_email")).containsExactly("mail.compose", "mail.send");
		assertThat(this.repository.findAll()).containsExactly(platform);
	}

	@Test
	void findAllIsSortedByNameWithEachPlatformsOwnActions() {
		this.repository.applyDefinition(
				new PlatformDefinition("slack", "Slack", "v1", actions("post_message", List.of("chat.write"))), FIRST);
		this.repository.applyDefinition(gmail("v1", actions("send_email", List.of("mail.send"))), FIRST);
		this.repository.applyDefinition(new PlatformDefinition("google_calendar", "Google Calendar", "v3",
				actions("create_event", List.of("calendar.events"))), FIRST);
		this.repository.applyDefinition(new PlatformDefinition("empty", "Nothing yet", "v0", Map.of()), FIRST);
		List<Platform> platforms = this.repository.findAll();
		assertThat(platforms).extracting(Platform::name).containsExactly("empty", "gmail", "google_calendar", "slack");
		assertThat(platforms).<Map<String, List<String>>>extracting(Platform::actions)
			.containsExactly(Map.of(), Map.of("send_email", List.of("mail.send")),
					Map.of("create_event", List.of("calendar.events")), Map.of("post_message", List.of("chat.write")));
		assertThat(platforms).allSatisfy((platform) -> assertThat(platform.updatedAt()).isEqualTo(FIRST));
	}

	@Test
	void updateStatusThenFoundWithStatusAndMessage() {
		this.repository.applyDefinition(gmail("v1", actions("send_email", List.of("mail.send"))), FIRST);
		assertThat(this.repository.updateStatus("gmail", PlatformStatus.DEGRADED, "Slow sends", SECOND)).isTrue();
		Platform platform = this.repository.findByName("gmail").get();
		assertThat(platform.status()).isEqualTo(PlatformStatus.DEGRADED);
		assertThat(platform.statusMessage()).isEqualTo("Slow sends");
		assertThat(platform.updatedAt()).isEqualTo(SECOND);
		assertThat(this.repository.updateStatus("gmail", PlatformStatus.AVAILABLE, null, THIRD)).isTrue();
		platform = this.repository.findByName("gmail").get();
		assertThat(platform.status()).isEqualTo(PlatformStatus.AVAILABLE);
		assertThat(platform.statusMessage()).isNull();
		assertThat(platform.actions()).containsOnlyKeys("send_email");
	}

	@Test
	void updateStatusWhenUnknownThenFalse() {
		assertThat(this.repository.updateStatus("nowhere", PlatformStatus.DISABLED, "Gone", SECOND)).isFalse();
		assertThat(this.repository.findByName("nowhere")).isEmpty();
		assertThat(this.repository.findAll()).isEmpty();
	}

	private static PlatformDefinition gmail(String version, Map<String, List<String>> actions) {
		return new PlatformDefinition("gmail", "Gmail", version, actions);
	}

	private static Map<String, List<String>> actions(Object... actionsAndScopes) {
		Map<String, List<String>> actions = new LinkedHashMap<>();
		for (int i = 0; i < actionsAndScopes.length; i += 2) {
			@SuppressWarnings("unchecked")
			List<String> scopes = (List<String>) actionsAndScopes[i + 1];
			actions.put((String) actionsAndScopes[i], scopes);
		}
		return actions;
	}

}
