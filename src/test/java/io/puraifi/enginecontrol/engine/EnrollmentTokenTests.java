package io.puraifi.enginecontrol.engine;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.puraifi.enginecontrol.engine.EnrollmentToken.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An enrollment token's state as a table: revoked, used up, expired or active.
 */
class EnrollmentTokenTests {

	private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

	@ParameterizedTest(name = "uses left {0}, expires {1}, revoked {2} -> {3}")
	@CsvSource(nullValues = "null",
			value = { "1, 2025-06-01T12:00:00.000001Z, null, ACTIVE", "5, 2025-06-01T13:00:00Z, null, ACTIVE",
					"0, 2025-06-01T13:00:00Z, null, USED_UP", "1, 2025-06-01T12:00:00Z, null, EXPIRED",
					"1, 2025-06-01T11:00:00Z, null, EXPIRED", "0, 2025-06-01T11:00:00Z, null, USED_UP",
					"1, 2025-06-01T13:00:00Z, 2025-06-01T11:30:00Z, REVOKED",
					"0, 2025-06-01T11:00:00Z, 2025-06-01T10:30:00Z, REVOKED" })
	void statusAndUsability(int usesLeft, Instant expiresAt, Instant revokedAt, Status expected) {
		EnrollmentToken token = new EnrollmentToken("t", null, Engine.sorted(Map.of()), 5, usesLeft,
				NOW.minusSeconds(7200), expiresAt, revokedAt, "admin");
		assertThat(token.status(NOW)).isEqualTo(expected);
		assertThat(token.isUsableAt(NOW)).isEqualTo(expected == Status.ACTIVE);
	}

}
