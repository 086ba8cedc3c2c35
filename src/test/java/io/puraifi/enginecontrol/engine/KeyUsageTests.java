package io.puraifi.enginecontrol.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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

	private final KeyUsage usage = keyUsage(EARLIER);

	@Test
	void aUseNotedWhileAFlushWritesIsKeptForTheNext() {
		this.usage.record("key-1", EARLIER);
		willAnswer((invocation) -> {
			this.usage.record("key-1", LATER); // a check during the write
			return null;
		}).given(this.repository).recordKeyUse(any());
		this.usage.flush();
		verify(this.repository).recordKeyUse(Map.of("key-1", EARLIER));
		assertThat(this.usage.pending("key-1")).isEqualTo(LATER);
	}

	@Test
	void aWrittenUseIsNoLongerPending() {
		this.usage.record("key-1", EARLIER);
		this.usage.flush();
		assertThat(this.usage.pending("key-1")).isNull();
	}

	@Test
	void aUseWithinOneResolutionOfTheNotedOneIsNotNoted() {
		this.usage.record("key-1", EARLIER);
		this.usage.flush();
		this.usage.record("key-1", LATER.minusMillis(1));
		assertThat(this.usage.pending("key-1")).isNull();
		this.usage.record("key-1", LATER);
		assertThat(this.usage.pending("key-1")).isEqualTo(LATER);
	}

	@Test
	void anEarlierUseNeverReplacesALaterOne() {
		this.usage.record("key-1", LATER);
		this.usage.record("key-1", EARLIER);
		assertThat(this.usage.pending("key-1")).isEqualTo(LATER);
	}

	@Test
	void aFlushForgetsUsesNotedMoreThanOneResolutionAgo() {
		KeyUsage usage = keyUsage(LATER.plus(RESOLUTION));
		usage.record("key-1", EARLIER);
		usage.record("key-2", LATER);
		assertThat(usage.tracked()).isEqualTo(2);
		usage.flush();
		assertThat(usage.tracked()).isEqualTo(1);
	}

	@Test
	void aFlushWritesAtMostOneTransactionOfUsesAndLeavesTheRestForTheNext() {
		for (int i = 0; i <= KeyUsage.MAX_KEYS_PER_FLUSH; i++) {
			this.usage.record("key-" + i, EARLIER);
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
			this.usage.record("key-" + i, EARLIER);
		}
		this.usage.stop();
		verify(this.repository, times(3)).recordKeyUse(any());
		assertThat(this.usage.pending("key-0")).isNull();
	}

	@SuppressWarnings("unchecked")
	private static ArgumentCaptor<Map<String, Instant>> mapCaptor() {
		return ArgumentCaptor.forClass(Map.class);
	}

	private KeyUsage keyUsage(Instant now) {
		EngineControlProperties properties = mock(EngineControlProperties.class);
		given(properties.keys())
			.willReturn(new EngineControlProperties.Keys(Duration.ofHours(24), Duration.ofHours(1), RESOLUTION));
		return new KeyUsage(this.repository, properties, Clock.fixed(now, ZoneOffset.UTC));
	}

}
