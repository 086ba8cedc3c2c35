package io.puraifi.enginecontrol.budget;

import java.time.Instant;

import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link BudgetRepository} store must do. Each database runs these cases
 * through a small subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BudgetRepositoryContractTests {

	private static final Instant FIRST = Instant.parse("2025-03-04T05:06:07.123456Z");

	private static final Instant SECOND = Instant.parse("2025-03-05T00:00:00.654321Z");

	private BudgetRepository repository;

	private JdbcClient jdbc;

	abstract TestDatabase createDatabase();

	@BeforeAll
	void createRepository() {
		TestDatabase database = createDatabase();
		this.jdbc = database.jdbcClient();
		this.repository = new JdbcBudgetRepository(this.jdbc);
	}

	@BeforeEach
	void engines() {
		this.jdbc.sql("delete from engine_budget").update();
		this.jdbc.sql("delete from engine where engine_id in ('mailer', 'crawler')").update();
		for (String engine : new String[] { "mailer", "crawler" }) {
			this.jdbc
				.sql("insert into engine (engine_id, role, status, created_at, updated_at) "
						+ "values (?, 'ENGINE', 'ACTIVE', current_timestamp, current_timestamp)")
				.params(engine)
				.update();
		}
	}

	@Test
	void findWhenNoOverrideThenEmpty() {
		assertThat(this.repository.find("mailer")).isEmpty();
		assertThat(this.repository.findAll()).isEmpty();
	}

	@Test
	void saveKeepsEveryNumberAndEveryNull() {
		BudgetSettings settings = new BudgetSettings(20, null, null, 7, 1, null);
		this.repository.save("mailer", settings, FIRST);
		assertThat(this.repository.find("mailer")).contains(new BudgetOverride("mailer", settings, FIRST));
		assertThat(this.repository.findAll()).containsOnlyKeys("mailer");
	}

	@Test
	void saveAgainReplacesTheOverrideWhole() {
		this.repository.save("mailer", new BudgetSettings(20, 40, 5, 50, 1, 2), FIRST);
		BudgetSettings replaced = new BudgetSettings(null, 10, null, null, null, null);
		this.repository.save("mailer", replaced, SECOND);
		assertThat(this.repository.find("mailer")).contains(new BudgetOverride("mailer", replaced, SECOND));
		assertThat(this.jdbc.sql("select count(*) from engine_budget").query(Integer.class).single()).isOne();
	}

	@Test
	void deleteRemovesOnlyThatEnginesOverride() {
		this.repository.save("mailer", new BudgetSettings(20, null, null, null, null, null), FIRST);
		this.repository.save("crawler", new BudgetSettings(30, null, null, null, null, null), FIRST);
		assertThat(this.repository.delete("mailer")).isTrue();
		assertThat(this.repository.delete("mailer")).isFalse();
		assertThat(this.repository.findAll()).containsOnlyKeys("crawler");
	}

	@Test
	void deletingTheEngineDeletesItsOverride() {
		this.repository.save("mailer", new BudgetSettings(20, null, null, null, null, null), FIRST);
		this.jdbc.sql("delete from engine where engine_id = 'mailer'").update();
		assertThat(this.repository.find("mailer")).isEmpty();
	}

}
