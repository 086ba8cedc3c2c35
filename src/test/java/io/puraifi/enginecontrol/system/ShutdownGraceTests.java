package io.puraifi.enginecontrol.system;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The readiness grace in one JVM: when it applies and what it announces. The whole
 * shutdown, with SIGTERM and a real balancer's view, is in ShutdownIntegrationTests.
 */
class ShutdownGraceTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(GraceConfiguration.class);

	@Test
	void closeOfAReadyContextRefusesTrafficThenWaitsTheGrace() {
		this.runner.withPropertyValues("engine-control.shutdown.readiness-grace=600ms").run((context) -> {
			ready(context);
			List<String> seen = context.getBean(Seen.class).events;
			long start = System.nanoTime();
			context.close();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
			assertThat(seen).containsExactly("REFUSING_TRAFFIC");
		});
	}

	@Test
	void closeOfAContextThatNeverBecameReadyDoesNotWait() {
		this.runner.withPropertyValues("engine-control.shutdown.readiness-grace=3s").run((context) -> {
			long start = System.nanoTime();
			context.close();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		});
	}

	@Test
	void zeroGraceDoesNotWait() {
		this.runner.withPropertyValues("engine-control.shutdown.readiness-grace=0s").run((context) -> {
			ready(context);
			List<String> seen = context.getBean(Seen.class).events;
			long start = System.nanoTime();
			context.close();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
			assertThat(seen).containsExactly("REFUSING_TRAFFIC");
		});
	}

	@Test
	void negativeGraceStopsStartup() {
		this.runner.withPropertyValues("engine-control.shutdown.readiness-grace=-1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("engine-control.shutdown.readiness-grace must not be negative"));
	}

	private static void ready(AssertableApplicationContext context) {
		ConfigurableApplicationContext source = context.getSourceApplicationContext();
		source.publishEvent(
				new ApplicationReadyEvent(new SpringApplication(), new String[0], source, Duration.ofSeconds(1)));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EngineControlProperties.class)
	@Import(ShutdownGrace.class)
	static class GraceConfiguration {

		@Bean
		Seen seen() {
			return new Seen();
		}

	}

	static class Seen implements ApplicationListener<AvailabilityChangeEvent<?>> {

		final List<String> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
			if (event.getState() instanceof ReadinessState state) {
				this.events.add(state.name());
			}
		}

	}

}
