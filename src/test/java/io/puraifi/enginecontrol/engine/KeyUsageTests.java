package io.puraifi.enginecontrol.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.puraifi.enginecontrol.system.EngineControlProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

class KeyUsageTests {

	private static final Instant EARLIER = Instant.parse("2026-11-27T12:00:00Z");

	private static final Instant LATER = EARLIER.plusSeconds(5);

	private final EngineRepository repository = mock(EngineRepository.class);

	private final KeyUsage usage = keyUsage();

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

	private KeyUsage keyUsage() {
		EngineControlProperties properties = mock(EngineControlProperties.class);
		given(properties.keys()).willReturn(mock(EngineControlProperties.Keys.class));
		given(properties.keys().lastUsedFlushInterval()).willReturn(Duration.ofSeconds(30));
		return new KeyUsage(this.repository, properties);
	}

}
