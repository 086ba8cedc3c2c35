package io.puraifi.enginecontrol.quota;

import java.time.Duration;
import java.util.List;

import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link QuotaRuleRepository} store must do. Each database runs these cases
 * through a small subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QuotaRuleRepositoryContractTests {

	private static final QuotaLimit HUNDRED_AN_HOUR = new QuotaLimit(100, Duration.ofHours(1));

	private static final QuotaLimit THOUSAND_A_DAY = new QuotaLimit(1000, Duration.ofDays(1));

	private QuotaRuleRepository repository;

	private JdbcClient jdbc;

	abstract TestDatabase createDatabase();

	@BeforeAll
	void createRepository() {
		TestDatabase database = createDatabase();
		this.jdbc = database.jdbcClient();
		this.repository = new JdbcQuotaRuleRepository(this.jdbc, database.transactionTemplate());
	}

	@BeforeEach
	void deleteRules() {
		this.jdbc.sql("delete from quota_rule").update();
	}

	@Test
	void findWhenUnknownThenEmpty() {
		assertThat(this.repository.find("mailer-email")).isEmpty();
		assertThat(this.repository.list()).isEmpty();
	}

	@Test
	void saveThenFindTheSameRule() {
		QuotaRule rule = new QuotaRule("mailer-email", "mailer", "gmail", "send_email",
				List.of(HUNDRED_AN_HOUR, THOUSAND_A_DAY), QuotaMode.ENFORCE);
		QuotaRule everyEngine = new QuotaRule("gmail.all", null, "gmail", "*", List.of(HUNDRED_AN_HOUR),
				QuotaMode.SHADOW);
		this.repository.save(rule);
		this.repository.save(everyEngine);
		assertThat(this.repository.find("mailer-email")).contains(rule);
		assertThat(this.repository.find("gmail.all")).contains(everyEngine);
	}

	@Test
	void limitsComeBackShortestWindowFirst() {
		this.repository
			.save(new QuotaRule("r", null, "gmail", "*", List.of(THOUSAND_A_DAY, HUNDRED_AN_HOUR), QuotaMode.ENFORCE));
		assertThat(this.repository.find("r").orElseThrow().limits()).containsExactly(HUNDRED_AN_HOUR, THOUSAND_A_DAY);
	}

	@Test
	void saveAgainReplacesTheRuleAndAllItsLimits() {
		this.repository.save(new QuotaRule("r", "mailer", "gmail", "send_email",
				List.of(HUNDRED_AN_HOUR, THOUSAND_A_DAY), QuotaMode.ENFORCE));
		QuotaRule replacement = new QuotaRule("r", null, "slack", "*",
				List.of(new QuotaLimit(5, Duration.ofMinutes(1))), QuotaMode.SHADOW);
		this.repository.save(replacement);
		assertThat(this.repository.find("r")).contains(replacement);
		assertThat(this.repository.list()).containsExactly(replacement);
		assertThat(limitRows()).isEqualTo(1);
	}

	@Test
	void listHasEveryRuleWithItsLimitsSortedByName() {
		QuotaRule b = new QuotaRule("b", null, "gmail", "*", List.of(HUNDRED_AN_HOUR, THOUSAND_A_DAY),
				QuotaMode.ENFORCE);
		QuotaRule a = new QuotaRule("a", "mailer", "slack", "post", List.of(THOUSAND_A_DAY), QuotaMode.SHADOW);
		QuotaRule c = new QuotaRule("c.1", "reporter", "gmail", "send_email", List.of(HUNDRED_AN_HOUR),
				QuotaMode.ENFORCE);
		this.repository.save(b);
		this.repository.save(c);
		this.repository.save(a);
		assertThat(this.repository.list()).containsExactly(a, b, c);
	}

	@Test
	void deleteRemovesTheRuleAndItsLimits() {
		this.repository
			.save(new QuotaRule("r", null, "gmail", "*", List.of(HUNDRED_AN_HOUR, THOUSAND_A_DAY), QuotaMode.ENFORCE));
		this.repository.save(new QuotaRule("kept", null, "gmail", "*", List.of(HUNDRED_AN_HOUR), QuotaMode.ENFORCE));
		assertThat(this.repository.delete("r")).isTrue();
		assertThat(this.repository.find("r")).isEmpty();
		assertThat(this.repository.list()).extracting(QuotaRule::name).containsExactly("kept");
		assertThat(limitRows()).isEqualTo(1);
		assertThat(this.repository.delete("r")).isFalse();
	}

	private long limitRows() {
		return this.jdbc.sql("select count(*) from quota_limit").query(Long.class).single();
	}

}
