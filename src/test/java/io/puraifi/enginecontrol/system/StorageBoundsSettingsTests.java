package io.puraifi.enginecontrol.system;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage bounds' defaults, and bad values that stop startup naming the setting.
 */
class StorageBoundsSettingsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void defaultsBoundEverythingButTheAuditTrail() {
		this.runner.run((context) -> {
			EngineControlProperties properties = context.getBean(EngineControlProperties.class);
			assertThat(properties.events().maxEvents()).isEqualTo(10_000_000);
			assertThat(properties.events().maxPerEngine()).isEqualTo(100_000);
			assertThat(properties.propagation().changeLogRetention()).isEqualTo(Duration.ofDays(7));
			assertThat(properties.propagation().changeLogMaxEntries()).isEqualTo(100_000);
			assertThat(properties.propagation().changeLogRetentionInterval()).isEqualTo(Duration.ofMinutes(10));
			assertThat(properties.audit().retention()).isZero();
			assertThat(properties.audit().keepsForever()).isTrue();
			assertThat(properties.audit().retentionInterval()).isEqualTo(Duration.ofHours(1));
		});
	}

	@Test
	void auditRetentionSetThenEntriesAreNotKeptForever() {
		this.runner.withPropertyValues("engine-control.audit.retention=400d")
			.run((context) -> assertThat(context.getBean(EngineControlProperties.class).audit().keepsForever())
				.isFalse());
	}

	@Test
	void capsBelowOneStopStartup() {
		for (String setting : new String[] { "events.max-events", "events.max-per-engine",
				"propagation.change-log-max-entries" }) {
			this.runner.withPropertyValues("engine-control." + setting + "=0")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.hasStackTraceContaining("must be greater than or equal to 1"));
		}
	}

	@Test
	void badDurationsStopStartupNamingTheSetting() {
		assertFails("engine-control.audit.retention=-1s", "engine-control.audit.retention must not be negative");
		assertFails("engine-control.audit.retention-interval=0s",
				"engine-control.audit.retention-interval must be at least 1ms");
		assertFails("engine-control.propagation.change-log-retention=0s",
				"engine-control.propagation.change-log-retention must be positive");
		assertFails("engine-control.propagation.change-log-retention-interval=0s",
				"engine-control.propagation.change-log-retention-interval must be at least 1ms");
		assertFails("engine-control.events.retention=0s", "engine-control.events.retention must be positive");
		assertFails("engine-control.events.retention-interval=0s",
				"engine-control.events.retention-interval must be at least 1ms");
	}

	private void assertFails(String setting, String message) {
		this.runner.withPropertyValues(setting)
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessage(message));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EngineControlProperties.class)
	static class PropertiesConfiguration {

	}

}
