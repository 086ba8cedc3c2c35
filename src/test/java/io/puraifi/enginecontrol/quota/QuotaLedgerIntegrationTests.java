package io.puraifi.enginecontrol.quota;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.puraifi.enginecontrol.EngineControlApplication;
import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quota beans in the whole service on a real PostgreSQL: Flyway creates the quota
 * tables, the ledger leases from them, and closing the service gives back what it held
 * unspent.
 */
class QuotaLedgerIntegrationTests {

	private static final String ADMIN_KEY = "quota-ledger-integration-tests-admin-key-0123456789";

	@TempDir
	Path dataDir;

	@Test
	void closingTheServiceGivesBackTheUnitsItHeldUnspent() {
		TestDatabase database = TestDatabases.emptyPostgres(QuotaLedgerIntegrationTests.class);
		QuotaRule rule = new QuotaRule("mailer-email", "mailer", "gmail", "send_email",
				List.of(new QuotaLimit(1000, Duration.ofDays(1))), QuotaMode.ENFORCE);
		Instant now;
		try (ConfigurableApplicationContext service = new SpringApplicationBuilder(EngineControlApplication.class).run(
				"--server.port=0", "--spring.datasource.url=" + database.url(),
				"--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(), "--engine-control.data-dir=" + this.dataDir,
				"--engine-control.bootstrap-admin-key=" + ADMIN_KEY, "--logging.level.io.puraifi=ERROR")) {
			service.getBean(QuotaRuleRepository.class).save(rule);
			QuotaLedger ledger = service.getBean(QuotaLedger.class);
			now = service.getBean(Clock.class).instant();
			for (int i = 0; i < 10; i++) {
				assertThat(ledger.tryAcquire(rule, "mailer", now).allowed()).isTrue();
			}
			assertThat(leased(database, now)).isEqualTo(15);
			assertThat(service.getBean(QuotaRuleRepository.class).find("mailer-email")).contains(rule);
		}
		assertThat(leased(database, now)).isEqualTo(10);
	}

	private static long leased(TestDatabase database, Instant now) {
		return database.jdbcClient()
			.sql("select leased from quota_usage where rule_name = 'mailer-email' and engine_id = 'mailer'")
			.query(Long.class)
			.single();
	}

}
