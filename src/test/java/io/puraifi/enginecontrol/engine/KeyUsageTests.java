package io.puraifi.enginecontrol.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import io.puraifi.enginecontrol.support.Settings;
import io.puraifi.enginecontrol.system.EngineControlProperties;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willDoNothing;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

class KeyUsageTests {

	private static final Instant EARLIER = Instant.parse("2026-11-27T12:00:00Z");

	private static final Duration RESOLUTION = Duration.ofMinutes(1);

	/** One resolution after {@link #EARLIER}: noted. */
	private static final Instant LATER = EARLIER.plus(RESOLUTION);

	private final EngineRepository repository = mock(EngineRepository.class);

	private final KeyUsage usage = keyUsage();

	private final KeyUsage.Use key = this.usage.use("key-1", null);

	@Test
	void aUseNotedWhileAFlushWritesIsKeptForTheNext() {
		this.usage.record(this.key, EARLIER);
		willAnswer((invocation) -> {
			this.usage.record(this.key, LATER); // a check during the write
			return null;
		}).given(this.repository).recordKeyUse(any());
		this.usage.flush();
		verify(this.repository).recordKeyUse(Map.of("key-1", EARLIER));
		assertThat(this.usage.pending("key-1")).isEqualTo(LATER);
	}

	@Test
	void aWrittenUseIsNoLongerPending() {
		this.usage.record(this.key, EARLIER);
		this.usage.flush();
		assertThat(this.usage.pending("key-1")).isNull();
	}

	@Test
	void aUseWithinOneResolutionOfTheNotedOneIsNotNoted() {
		this.usage.record(this.key, EARLIER);
		this.usage.flush();
		this.usage.record(this.key, LATER.minusMillis(1));
		assertThat(this.usage.pending("key-1")).isNull();
		this.usage.record(this.key, LATER);
		assertThat(this.usage.pending("key-1")).isEqualTo(LATER);
	}

	@Test
	void aUseWithinOneResolutionOfTheStoredOneIsNotNoted() {
		this.usage.record(this.usage.use("key-2", EARLIER), LATER.minusMillis(1));
		assertThat(this.usage.pending("key-2")).isNull();
		this.usage.record(this.usage.use("key-3", EARLIER), LATER);
		assertThat(this.usage.pending("key-3")).isEqualTo(LATER);
	}

	@Test
	void eachKeyHasItsOwnResolution() {
		this.usage.record(this.key, EARLIER);
		this.usage.record(this.usage.use("key-2", null), EARLIER.plusSeconds(1));
		assertThat(this.usage.pending("key-2")).isEqualTo(EARLIER.plusSeconds(1));
	}

	@Test
	void anEarlierUseNeverReplacesALaterOne() {
		this.usage.record(this.key, LATER);
		// through a fresh holder, as after the engine's cache entry was loaded again
		this.usage.record(this.usage.use("key-1", null), EARLIER);
		assertThat(this.usage.pending("key-1")).isEqualTo(LATER);
	}

	@Test
	void theOldestNotedUsesAreWrittenFirst() {
		for (int i = 0; i <= KeyUsage.MAX_KEYS_PER_FLUSH; i++) {
			this.usage.record(this.usage.use("key-" + i, null), EARLIER);
		}
		this.usage.flush();
		// the keys written first are busy again (their entries reloaded) before the next
		// flush
		for (int i = 0; i < KeyUsage.MAX_KEYS_PER_FLUSH; i++) {
			this.usage.record(this.usage.use("key-" + i, null), LATER);
		}
		this.usage.flush();
		ArgumentCaptor<Map<String, Instant>> written = mapCaptor();
		verify(this.repository, times(2)).recordKeyUse(written.capture());
		assertThat(written.getAllValues().get(1)).containsEntry("key-" + KeyUsage.MAX_KEYS_PER_FLUSH, EARLIER);
	}

	@Test
	void aFailedWriteKeepsItsUsesForTheNextFlushAndStoppingStillEnds() {
		this.usage.record(this.key, EARLIER);
		willThrow(new DataAccessResourceFailureException("store down")).given(this.repository).recordKeyUse(any());
		assertThat(this.usage.flush()).isFalse();
		assertThat(this.usage.pending("key-1")).isEqualTo(EARLIER);
		this.usage.start();
		this.usage.stop();
		willDoNothing().given(this.repository).recordKeyUse(any());
		assertThat(this.usage.flush()).isFalse();
		verify(this.repository, times(3)).recordKeyUse(Map.of("key-1", EARLIER));
		assertThat(this.usage.pending("key-1")).isNull();
	}

	@Test
	void aFlushWritesAtMostOneTransactionOfUsesAndLeavesTheRestForTheNext() {
		for (int i = 0; i <= KeyUsage.MAX_KEYS_PER_FLUSH; i++) {
			this.usage.record(this.usage.use("key-" + i, null), EARLIER);
		}
		assertThat(this.usage.flush()).isTrue();
		assertThat(this.usage.flush()).isFalse();
		ArgumentCaptor<Map<String, Instant>> written = mapCaptor();
		verify(this.repository, times(2)).recordKeyUse(written.capture());
		assertThat(written.getAllValues()).extracting(Map::size).containsExactly(KeyUsage.MAX_KEYS_PER_FLUSH, 1);
		assertThat(this.usage.flush()).isFalse();
		verifyNoMoreInteractions(this.repository);
	}

	@Test
	void stoppingWritesEveryNotedUse() {
		this.usage.start();
		for (int i = 0; i < 2 * KeyUsage.MAX_KEYS_PER_FLUSH + 1; i++) {
			this.usage.record(this.usage.use("key-" + i, null), EARLIER);
		}
		this.usage.stop();
		ArgumentCaptor<Map<String, Instant>> written = mapCaptor();
		verify(this.repository, times(3)).recordKeyUse(written.capture());
		assertThat(written.getAllValues().stream().mapToInt(Map::size).sum())
			.isEqualTo(2 * KeyUsage.MAX_KEYS_PER_FLUSH + 1);
		assertThat(this.usage.pending("key-0")).isNull();
	}

	@Test
	void aNegativeResolutionOrANonPositiveFlushIntervalIsRefusedNamingTheSetting() {
		assertThat(Settings.bindFailure("engine-control.keys.last-used-resolution", "-1s"))
			.isEqualTo("engine-control.keys.last-used-resolution must not be negative");
		assertThat(Settings.bindFailure("engine-control.keys.last-used-flush-interval", "0s"))
			.isEqualTo("engine-control.keys.last-used-flush-interval must be positive");
		assertThat(Settings.bindFailure("engine-control.keys.last-used-resolution", "0s")).isEqualTo("bound");
	}

	@SuppressWarnings("unchecked")
	private static ArgumentCaptor<Map<String, Instant>> mapCaptor() {
		return ArgumentCaptor.forClass(Map.class);
	}

	private KeyUsage keyUsage() {
		EngineControlProperties properties = mock(EngineControlProperties.class);
		given(properties.keys())
			.willReturn(new EngineControlProperties.Keys(Duration.ofHours(24), Duration.ofHours(1), RESOLUTION));
		return new KeyUsage(this.repository, properties);
	}

}
