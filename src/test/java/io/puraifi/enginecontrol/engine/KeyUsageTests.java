package io.puraifi.enginecontrol.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import io.puraifi.enginecontrol.system.EngineControlProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
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

	private final KeyUsage.Use key = this.usage.use("key-1");

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
	void eachKeyHasItsOwnResolution() {
		this.usage.record(this.key, EARLIER);
		this.usage.record(this.usage.use("key-2"), EARLIER.plusSeconds(1));
		assertThat(this.usage.pending("key-2")).isEqualTo(EARLIER.plusSeconds(1));
	}

	@Test
	void anEarlierUseNeverReplacesALaterOne() {
		this.usage.record(this.key, LATER);
		this.usage.record(this.key, EARLIER);
		assertThat(this.usage.pending("key-1")).isEqualTo(LATER);
	}

	@Test
	void aFlushWritesAtMostOneTransactionOfUsesAndLeavesTheRestForTheNext() {
		for (int i = 0; i <= KeyUsage.MAX_KEYS_PER_FLUSH; i++) {
			this.usage.record(this.usage.use("key-" + i), EARLIER);
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
			this.usage.record(this.usage.use("key-" + i), EARLIER);
		}
		this.usage.stop();
		verify(this.repository, times(3)).recordKeyUse(any());
		assertThat(this.usage.pending("key-0")).isNull();
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
