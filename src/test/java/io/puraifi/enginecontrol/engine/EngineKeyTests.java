package io.puraifi.enginecontrol.engine;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a key authenticates: the expiry and revocation rules as a table.
 */
class EngineKeyTests {

	private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

	@ParameterizedTest(name = "expires {0}, revoked {1} -> usable {2}")
	@CsvSource(nullValues = "null",
			value = { "null, null, true", "2025-06-01T12:00:00.000001Z, null, true",
					"2025-06-01T12:00:00Z, null, false", "2025-06-01T11:59:59.999999Z, null, false",
					"2099-01-01T00:00:00Z, 2025-06-01T11:00:00Z, false", "null, 2025-06-01T11:00:00Z, false",
					"null, 2025-06-01T13:00:00Z, false" })
	void isUsableAtComparesTheTimeWithTheExpiryAndRevocation(Instant expiresAt, Instant revokedAt, boolean usable) {
		EngineKey key = new EngineKey("k", "e", "h".repeat(64), NOW.minusSeconds(3600), expiresAt, revokedAt, null);
		assertThat(key.isUsableAt(NOW)).isEqualTo(usable);
	}

	@Test
	void toStringNeverShowsTheHash() {
		String hash = "0123456789abcdef".repeat(4);
		assertThat(new EngineKey("k", "e", hash, NOW, null, null, null).toString()).doesNotContain(hash);
	}

}
