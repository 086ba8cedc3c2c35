package io.puraifi.enginecontrol.settings;

import java.time.Instant;
import java.time.OffsetDateTime;

import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link FlagRepository} store must do. Each database runs these cases through
 * a small subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FlagRepositoryContractTests {

	private static final Instant FIRST = Instant.parse("2025-03-04T05:06:07.123456Z");

	private static final Instant SECOND = Instant.parse("2025-03-05T00:00:00.654321Z");

	private FlagRepository repository;

	private JdbcClient jdbc;

	abstract TestDatabase createDatabase();

	@BeforeAll
	void createRepository() {
		TestDatabase database = createDatabase();
		this.jdbc = database.jdbcClient();
		this.repository = new JdbcFlagRepository(this.jdbc, database.transactionTemplate());
	}

	@BeforeEach
	void deleteFlags() {
		this.jdbc.sql("delete from feature_flag").update();
	}

	@Test
	void findWhenUnknownThenEmpty() {
		assertThat(this.repository.find("platform.gmail")).isEmpty();
		assertThat(this.repository.findAll()).isEmpty();
	}

	@Test
	void saveThenFind() {
		this.repository.save("platform.gmail", false, FIRST);
		this.repository.save("beta_ui", true, FIRST);
		assertThat(this.repository.find("platform.gmail")).contains(false);
		assertThat(this.repository.find("beta_ui")).contains(true);
	}

	@Test
	void saveInShadowModeThenFoundWithItsModeUntilSavedToEnforce() {
		this.repository.save("platform.slack", false, true, FIRST);
		assertThat(this.repository.findFlag("platform.slack")).contains(new Flag("platform.slack", false, true, FIRST));
		assertThat(this.repository.list()).containsExactly(new Flag("platform.slack", false, true, FIRST));
		assertThat(this.repository.list().get(0).mode()).isEqualTo("shadow");
		this.repository.save("platform.slack", false, SECOND);
		assertThat(this.repository.findFlag("platform.slack"))
			.contains(new Flag("platform.slack", false, false, SECOND));
		assertThat(this.repository.findFlag("platform.gmail")).isEmpty();
	}

	@Test
	void saveTwiceThenUpdatesTheOneFlag() {
		this.repository.save("action.gmail.send_email", true, FIRST);
		this.repository.save("action.gmail.send_email", false, SECOND);
		assertThat(this.repository.find("action.gmail.send_email")).contains(false);
		assertThat(this.repository.findAll()).containsExactly(entry("action.gmail.send_email", false));
		assertThat(updatedAt("action.gmail.send_email")).isEqualTo(SECOND);
		this.repository.save("action.gmail.send_email", true, SECOND);
		assertThat(this.repository.find("action.gmail.send_email")).contains(true);
	}

	@Test
	void findAllIsSortedByName() {
		this.repository.save("platform.slack", false, FIRST);
		this.repository.save("beta_ui", true, FIRST);
		this.repository.save("action.gmail.send_email", true, FIRST);
		this.repository.save("platform.gmail", true, FIRST);
		assertThat(this.repository.findAll()).containsExactly(entry("action.gmail.send_email", true),
				entry("beta_ui", true), entry("platform.gmail", true), entry("platform.slack", false));
	}

	@Test
	void listHasEveryFlagWithWhenItWasSetSortedByName() {
		this.repository.save("platform.slack", false, FIRST);
		this.repository.save("global", true, SECOND);
		this.repository.save("engine.mailer", false, FIRST);
		assertThat(this.repository.list()).containsExactly(new Flag("engine.mailer", false, FIRST),
				new Flag("global", true, SECOND), new Flag("platform.slack", false, FIRST));
	}

	@Test
	void deleteThenTheFlagCountsAsNeverSet() {
		this.repository.save("global", false, FIRST);
		this.repository.save("platform.gmail", false, FIRST);
		assertThat(this.repository.delete("global")).isTrue();
		assertThat(this.repository.find("global")).isEmpty();
		assertThat(this.repository.findAll()).containsOnlyKeys("platform.gmail");
		assertThat(this.repository.delete("global")).isFalse();
	}

	private Instant updatedAt(String name) {
		return this.jdbc.sql("select updated_at from feature_flag where name = :name")
			.param("name", name)
			.query((rs, row) -> rs.getObject("updated_at", OffsetDateTime.class).toInstant())
			.single();
	}

	private static java.util.Map.Entry<String, Boolean> entry(String name, boolean enabled) {
		return java.util.Map.entry(name, enabled);
	}

}
