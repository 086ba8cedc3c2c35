package io.puraifi.enginecontrol.quota;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code engine-control.quotas.*} settings: their documented defaults, and a bad
 * value stops startup naming the setting.
 */
class QuotaPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void defaultsAreTheDocumentedOnes() {
		this.runner.run((context) -> assertThat(context.getBean(EngineControlProperties.class).quotas())
			.isEqualTo(new EngineControlProperties.Quotas(64, Duration.ofSeconds(1), Duration.ofMillis(100))));
	}

	@Test
	void eachCanBeSet() {
		this.runner
			.withPropertyValues("engine-control.quotas.max-block=8", "engine-control.quotas.idle-give-back=5s",
					"engine-control.quotas.recheck=0s")
			.run((context) -> assertThat(context.getBean(EngineControlProperties.class).quotas())
				.isEqualTo(new EngineControlProperties.Quotas(8, Duration.ofSeconds(5), Duration.ZERO)));
	}

	@Test
	void blockBelowOneStopsStartupNamingTheSetting() {
		this.runner.withPropertyValues("engine-control.quotas.max-block=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("quotas.maxBlock"));
	}

	@Test
	void zeroIdleGiveBackStopsStartupNamingTheSetting() {
		this.runner.withPropertyValues("engine-control.quotas.idle-give-back=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("engine-control.quotas.idle-give-back"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EngineControlProperties.class)
	static class PropertiesConfiguration {

	}

}
