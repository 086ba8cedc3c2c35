package io.puraifi.enginecontrol.engine;

import java.time.Duration;
import java.time.Instant;
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
import io.puraifi.enginecontrol.support.MovableClock;
import io.puraifi.enginecontrol.system.EngineControlProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * How authentication hands a key's uses to {@link KeyUsage}: the first at once, then at
 * most one per resolution, counted from the stored last use when the engine's entry is
 * loaded. And the {@link EngineSlot} held with the entry.
 */
class EngineRegistryKeyUseTests {

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private static final Duration RESOLUTION = Duration.ofMinutes(10);

	private static final String KEY = EngineKeys.generate();

	private final EngineRepository repository = mock(EngineRepository.class);

	private final MovableClock clock = new MovableClock(START);

	private KeyUsage usage;

	private EngineRegistry registry;

	private Consumer<String> invalidate;

	@BeforeEach
	@SuppressWarnings("unchecked")
	void setUp() {
		given(this.repository.findWithKeys("mailer")).willReturn(Optional.of(new EngineRepository.EngineWithKeys(
				new Engine("mailer", null, EngineRole.ENGINE, EngineStatus.ACTIVE, Engine.sorted(Map.of()), START,
						START),
				List.of(new EngineKey("key-1", "mailer", EngineKeys.hash(KEY), START, null, null, null)))));
		EngineControlProperties properties = mock(EngineControlProperties.class);
		given(properties.cache()).willReturn(new EngineControlProperties.Cache(1_000));
		given(properties.keys())
			.willReturn(new EngineControlProperties.Keys(Duration.ofHours(24), Duration.ofHours(1), RESOLUTION));
		this.usage = new KeyUsage(this.repository, properties);
		Changes changes = mock(Changes.class);
		this.registry = new EngineRegistry(this.repository, this.usage, this.clock, changes, properties,
				new SimpleMeterRegistry());
		ArgumentCaptor<Consumer<String>> captor = ArgumentCaptor.forClass(Consumer.class);
		verify(changes).subscribe(eq(ChangeKind.ENGINE), captor.capture(), any(Runnable.class));
		this.invalidate = captor.getValue();
	}

	@Test
	void theSlotIsHeldWithTheCachedEngineAndIsANewOneWhenTheEngineIsLoadedAgain() {
		assertThat(this.registry.slot("mailer")).isNull();
		assertThat(this.registry.authenticate("mailer", KEY)).isPresent();
		EngineSlot slot = this.registry.slot("mailer");
		assertThat(slot).isNotNull();
		slot.set("held");
		assertThat(this.registry.authenticate("mailer", KEY)).isPresent();
		assertThat(this.registry.slot("mailer")).isSameAs(slot);
		this.invalidate.accept("mailer");
		assertThat(this.registry.slot("mailer")).isNull();
		assertThat(this.registry.authenticate("mailer", KEY)).isPresent();
		assertThat(this.registry.slot("mailer")).isNotSameAs(slot);
		assertThat(this.registry.slot("mailer").get()).isNull();
	}

	@Test
	void aKeyIsNotedAtItsFirstUseThenOncePerResolution() {
		assertThat(this.registry.authenticate("mailer", KEY)).isPresent();
		assertThat(this.usage.pending("key-1")).isEqualTo(START);
		this.usage.flush();
		this.clock.advance(RESOLUTION.minusSeconds(1));
		assertThat(this.registry.authenticate("mailer", KEY)).isPresent();
		assertThat(this.usage.pending("key-1")).isNull();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.registry.authenticate("mailer", KEY)).isPresent();
		assertThat(this.usage.pending("key-1")).isEqualTo(START.plus(RESOLUTION));
	}

	@Test
	void anEngineLoadedAgainHasItsNextUseNotedAtOnce() {
		this.registry.authenticate("mailer", KEY);
		this.usage.flush();
		this.clock.advance(Duration.ofSeconds(5));
		this.invalidate.accept("mailer");
		this.registry.authenticate("mailer", KEY);
		assertThat(this.usage.pending("key-1")).isEqualTo(START.plusSeconds(5));
	}

	@Test
	void aUseWithinOneResolutionOfTheStoredOneIsNotWrittenAgain() {
		given(this.repository.findWithKeys("writer")).willReturn(Optional.of(new EngineRepository.EngineWithKeys(
				new Engine("writer", null, EngineRole.ENGINE, EngineStatus.ACTIVE, Engine.sorted(Map.of()), START,
						START),
				List.of(new EngineKey("key-2", "writer", EngineKeys.hash(KEY), START, null, null,
						START.minusSeconds(60))))));
		assertThat(this.registry.authenticate("writer", KEY)).isPresent();
		assertThat(this.usage.pending("key-2")).isNull();
		this.clock.advance(RESOLUTION.minusSeconds(60));
		assertThat(this.registry.authenticate("writer", KEY)).isPresent();
		assertThat(this.usage.pending("key-2")).isEqualTo(START.plus(RESOLUTION).minusSeconds(60));
	}

	@Test
	void aWrongKeyIsNotAUse() {
		assertThat(this.registry.authenticate("mailer", EngineKeys.generate())).isEmpty();
		assertThat(this.usage.pending("key-1")).isNull();
	}

}
