package io.puraifi.enginecontrol.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail is kept forever by default; with a retention, older entries are deleted
 * in batches and newer ones kept. Each database runs these cases through a small
 * subclass.
 */
abstract class AuditRetentionContractTests {

	private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

	private AuditRepository repository;

	abstract TestDatabase createDatabase();

	@BeforeEach
	void createRepository() {
		this.repository = new JdbcAuditRepository(createDatabase().jdbcClient());
		for (int i = 0; i < 7; i++) {
			insert(NOW.minus(Duration.ofDays(400 + i)));
		}
		insert(NOW.minus(Duration.ofDays(10)));
		insert(NOW.minusSeconds(1));
	}

	@Test
	void byDefaultEveryEntryIsKeptForever() {
		EngineControlProperties.Audit defaults = new EngineControlProperties.Audit(Duration.ZERO, Duration.ofHours(1));
		assertThat(defaults.keepsForever()).isTrue();
		AuditRetention retention = new AuditRetention(this.repository, Clock.fixed(NOW, ZoneOffset.UTC), defaults, 3);
		assertThat(retention.purge()).isZero();
		assertThat(entries()).isEqualTo(9);
	}

	@Test
	void withARetentionOlderEntriesAreDeletedInBatches() {
		AuditRetention retention = new AuditRetention(this.repository, Clock.fixed(NOW, ZoneOffset.UTC),
				new EngineControlProperties.Audit(Duration.ofDays(365), Duration.ofHours(1)), 3);
		assertThat(retention.purge()).isEqualTo(7);
		assertThat(entries()).isEqualTo(2);
		assertThat(retention.purge()).isZero();
	}

	private void insert(Instant at) {
		this.repository.insert(new AuditEntry(0, at, "admin", "engine.register", "engine", "e1", null, "{}", "req"));
	}

	private int entries() {
		return this.repository.find(new AuditRepository.AuditQuery(null, null, null, null, null, null, 100)).size();
	}

}
