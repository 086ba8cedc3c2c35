package io.puraifi.enginecontrol.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import io.puraifi.enginecontrol.propagation.ChangeKind;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.EngineControlProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * An unknown engine id and a wrong key take the same path and the same time: a repeated
 * unknown id is answered from memory, not from the store, until the id is registered.
 */
class EngineRegistryUnknownEngineTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private static final String KEY = EngineKeys.generate();

	private final EngineRepository repository = mock(EngineRepository.class);

	private final Changes changes = mock(Changes.class);

	private EngineRegistry registry;

	private Consumer<String> invalidate;

	@BeforeEach
	@SuppressWarnings("unchecked")
	void setUp() {
		// A store query costs a millisecond, as over a network.
		willAnswer((invocation) -> {
			Thread.sleep(1);
			return "mailer".equals(invocation.getArgument(0)) ? Optional.of(withKey("mailer")) : Optional.empty();
		}).given(this.repository).findWithKeys(anyString());
		EngineControlProperties properties = mock(EngineControlProperties.class);
		given(properties.cache()).willReturn(new EngineControlProperties.Cache(1_000));
		this.registry = new EngineRegistry(this.repository, mock(KeyUsage.class), Clock.fixed(NOW, ZoneOffset.UTC),
				this.changes, properties, new SimpleMeterRegistry());
		ArgumentCaptor<Consumer<String>> captor = ArgumentCaptor.forClass(Consumer.class);
		verify(this.changes).subscribe(eq(ChangeKind.ENGINE), captor.capture(), any(Runnable.class));
		this.invalidate = captor.getValue();
	}

	@Test
	void repeatedUnknownIdQueriesTheStoreOnce() {
		for (int i = 0; i < 100; i++) {
			assertThat(this.registry.authenticate("nobody", KEY)).isEmpty();
		}
		verify(this.repository, times(1)).findWithKeys("nobody");
	}

	@Test
	void unknownIdIsForgottenWhenItIsRegistered() {
		assertThat(this.registry.authenticate("newbie", KEY)).isEmpty();
		willAnswer((invocation) -> Optional.of(withKey("newbie"))).given(this.repository).findWithKeys("newbie");
		assertThat(this.registry.authenticate("newbie", KEY)).as("still remembered as unknown").isEmpty();
		// What Changes does on this replica and on every other when a registration
		// commits.
		this.invalidate.accept("newbie");
		assertThat(this.registry.authenticate("newbie", KEY)).isPresent();
	}

	@Test
	void unknownEngineTakesAsLongAsAWrongKey() {
		String wrongKey = EngineKeys.generate();
		// Warm both paths: the engine's entry and the unknown id are remembered.
		this.registry.authenticate("mailer", wrongKey);
		this.registry.authenticate("nobody", wrongKey);
		for (int i = 0; i < 20_000; i++) {
			this.registry.authenticate((i % 2 == 0) ? "mailer" : "nobody", wrongKey);
		}
		List<Long> wrong = new ArrayList<>();
		List<Long> unknown = new ArrayList<>();
		for (int i = 0; i < 20_000; i++) {
			boolean known = i % 2 == 0;
			long start = System.nanoTime();
			this.registry.authenticate(known ? "mailer" : "nobody", wrongKey);
			(known ? wrong : unknown).add(System.nanoTime() - start);
		}
		long wrongMedian = median(wrong);
		long unknownMedian = median(unknown);
		// A store query (1 ms here) would make the unknown path hundreds of times slower.
		assertThat(unknownMedian).as("median ns: unknown %d, wrong key %d", unknownMedian, wrongMedian)
			.isLessThan(wrongMedian * 3 + 20_000);
		assertThat(wrongMedian).isLessThan(unknownMedian * 3 + 20_000);
	}

	private static long median(List<Long> values) {
		long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static EngineRepository.EngineWithKeys withKey(String id) {
		return new EngineRepository.EngineWithKeys(engine(id),
				List.of(new EngineKey("k-" + id, id, EngineKeys.hash(KEY), NOW, null, null, null)));
	}

	private static Engine engine(String id) {
		return new Engine(id, null, EngineRole.ENGINE, EngineStatus.ACTIVE, Engine.sorted(Map.of()), NOW, NOW);
	}

}
