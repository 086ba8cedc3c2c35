package io.puraifi.enginecontrol.platform;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What every {@link MaintenanceWindowRepository} store must do. Each database runs these
 * cases through a small subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MaintenanceWindowRepositoryContractTests {

	private static final Instant NOW = Instant.parse("2025-03-04T05:06:07.123456Z");

	private MaintenanceWindowRepository repository;

	private JdbcClient jdbc;

	abstract TestDatabase createDatabase();

	@BeforeAll
	void createRepository() {
		TestDatabase database = createDatabase();
		this.jdbc = database.jdbcClient();
		this.repository = new JdbcMaintenanceWindowRepository(this.jdbc);
		PlatformRepository platforms = new JdbcPlatformRepository(this.jdbc, database.transactionTemplate());
		for (String name : List.of("gmail", "slack")) {
			platforms.applyDefinition(new PlatformDefinition(name, name, "1", Map.of("send", List.of("s"))), NOW);
		}
	}

	@BeforeEach
	void deleteWindows() {
		this.jdbc.sql("delete from maintenance_window").update();
	}

	@Test
	void insertThenFindReadsBackEveryFieldToTheMicrosecond() {
		MaintenanceWindow window = window("w1", "gmail", NOW.plusSeconds(60), NOW.plusSeconds(120), "upgrade");
		this.repository.insert(window);
		assertThat(this.repository.find("gmail", "w1")).contains(window);
		assertThat(this.repository.find("slack", "w1")).isEmpty();
		assertThat(this.repository.find("gmail", "nope")).isEmpty();
	}

	@Test
	void insertWhenPlatformUnknownThenRefused() {
		assertThatExceptionOfType(DataIntegrityViolationException.class).isThrownBy(
				() -> this.repository.insert(window("w1", "fax", NOW.plusSeconds(60), NOW.plusSeconds(120), null)));
	}

	@Test
	void findNotEndedKeepsActiveAndUpcomingOfThatPlatformByStart() {
		MaintenanceWindow ended = window("ended", "gmail", NOW.minusSeconds(120), NOW, null);
		MaintenanceWindow active = window("active", "gmail", NOW.minusSeconds(60), NOW.plusNanos(1000), null);
		MaintenanceWindow later = window("later", "gmail", NOW.plusSeconds(600), NOW.plusSeconds(900), null);
		MaintenanceWindow soon = window("soon", "gmail", NOW.plusSeconds(60), NOW.plusSeconds(900), null);
		MaintenanceWindow other = window("other", "slack", NOW.plusSeconds(60), NOW.plusSeconds(900), null);
		List.of(ended, active, later, soon, other).forEach(this.repository::insert);
		assertThat(this.repository.findNotEnded("gmail", NOW)).containsExactly(active, soon, later);
		assertThat(this.repository.findNotEnded(NOW)).containsExactly(active, soon, later, other);
		assertThat(this.repository.findAll("gmail")).containsExactly(ended, active, soon, later);
	}

	@Test
	void cancelMarksTheWindowAndHidesItFromNotEnded() {
		this.repository.insert(window("w1", "gmail", NOW.plusSeconds(60), NOW.plusSeconds(120), null));
		Instant cancelledAt = NOW.plusSeconds(1);
		assertThat(this.repository.cancel("gmail", "w1", cancelledAt)).isTrue();
		assertThat(this.repository.find("gmail", "w1").get().cancelledAt()).isEqualTo(cancelledAt);
		assertThat(this.repository.findNotEnded("gmail", NOW)).isEmpty();
		assertThat(this.repository.findAll("gmail")).hasSize(1);
	}

	@Test
	void cancelWhenAlreadyCancelledEndedUnknownOrOtherPlatformThenFalse() {
		this.repository.insert(window("w1", "gmail", NOW.plusSeconds(60), NOW.plusSeconds(120), null));
		this.repository.insert(window("old", "gmail", NOW.minusSeconds(120), NOW.minusSeconds(60), null));
		assertThat(this.repository.cancel("slack", "w1", NOW)).isFalse();
		assertThat(this.repository.cancel("gmail", "nope", NOW)).isFalse();
		assertThat(this.repository.cancel("gmail", "old", NOW)).isFalse();
		assertThat(this.repository.cancel("gmail", "w1", NOW)).isTrue();
		assertThat(this.repository.cancel("gmail", "w1", NOW.plusSeconds(1))).isFalse();
		assertThat(this.repository.find("gmail", "w1").get().cancelledAt()).isEqualTo(NOW);
	}

	private static MaintenanceWindow window(String id, String platform, Instant start, Instant end, String message) {
		return new MaintenanceWindow(id, platform, start, end, message, NOW, null);
	}

}
