package io.puraifi.enginecontrol.quota;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaWindowTests {

	@ParameterizedTest(name = "{0} per {1}: [{2}, {3}), retry after {4}s")
	@CsvSource(delimiter = '|', textBlock = """
			2026-11-27T10:00:00Z          | PT1H  | 2026-11-27T10:00:00Z | 2026-11-27T11:00:00Z | 3600
			2026-11-27T10:30:00Z          | PT1H  | 2026-11-27T10:00:00Z | 2026-11-27T11:00:00Z | 1800
			2026-11-27T10:30:00.000001Z   | PT1H  | 2026-11-27T10:00:00Z | 2026-11-27T11:00:00Z | 1800
			2026-11-27T10:59:59Z          | PT1H  | 2026-11-27T10:00:00Z | 2026-11-27T11:00:00Z | 1
			2026-11-27T10:59:59.999999999Z| PT1H  | 2026-11-27T10:00:00Z | 2026-11-27T11:00:00Z | 1
			2026-11-27T11:00:00Z          | PT1H  | 2026-11-27T11:00:00Z | 2026-11-27T12:00:00Z | 3600
			2026-11-27T23:59:59Z          | P1D   | 2026-11-27T00:00:00Z | 2026-11-28T00:00:00Z | 1
			2026-11-28T00:00:00Z          | P1D   | 2026-11-28T00:00:00Z | 2026-11-29T00:00:00Z | 86400
			2026-11-27T10:20:30.5Z        | PT1S  | 2026-11-27T10:20:30Z | 2026-11-27T10:20:31Z | 1
			1970-01-01T00:16:40Z          | PT7M  | 1970-01-01T00:14:00Z | 1970-01-01T00:21:00Z | 260
			1969-12-31T23:59:59.5Z        | PT1H  | 1969-12-31T23:00:00Z | 1970-01-01T00:00:00Z | 1
			2026-11-27T10:00:00Z          | PT15M | 2026-11-27T10:00:00Z | 2026-11-27T10:15:00Z | 900
			2026-11-27T10:14:00.25Z       | PT15M | 2026-11-27T10:00:00Z | 2026-11-27T10:15:00Z | 60
			""")
	void windowIsAlignedToUtcAndRetryAfterIsTheSecondsUntilItsEnd(Instant now, Duration per, Instant start, Instant end,
			long retryAfter) {
		QuotaWindow window = QuotaWindow.of(now, per);
		assertThat(window.start()).isEqualTo(start);
		assertThat(window.end()).isEqualTo(end);
		assertThat(window.contains(now)).isTrue();
		assertThat(window.contains(end)).isFalse();
		assertThat(window.retryAfterSeconds(now)).isEqualTo(retryAfter);
		// a retry after that many seconds falls in the next window
		assertThat(QuotaWindow.of(now.plusSeconds(retryAfter), per).start()).isEqualTo(end);
	}

	@Test
	void currentWindowFollowsTheClock() {
		Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:42:17Z"), ZoneOffset.UTC);
		assertThat(QuotaWindow.current(clock, Duration.ofHours(1)))
			.isEqualTo(new QuotaWindow(Instant.parse("2026-11-27T10:00:00Z"), Instant.parse("2026-11-27T11:00:00Z")));
	}

	@Test
	void timeLeftIsExact() {
		Instant now = Instant.parse("2026-11-27T10:59:58.75Z");
		assertThat(QuotaWindow.of(now, Duration.ofHours(1)).timeLeft(now)).isEqualTo(Duration.ofMillis(1250));
	}

}
