package io.puraifi.enginecontrol.budget;

import org.junit.jupiter.api.Test;

import io.puraifi.enginecontrol.system.EngineControlProperties;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code engine-control.budgets.*} settings: their documented defaults, and a bad
 * value stops startup naming the setting.
 */
class BudgetPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void defaultsAreTheDocumentedOnes() {
		this.runner.run((context) -> assertThat(context.getBean(EngineControlProperties.class).budgets())
			.isEqualTo(new EngineControlProperties.Budgets(true, 1000, 2000, 500, 5000, 100, 200, 100_000)));
	}

	@Test
	void eachNumberCanBeSet() {
		this.runner
			.withPropertyValues("engine-control.budgets.enabled=false", "engine-control.budgets.checks-per-second=10",
					"engine-control.budgets.checks-burst=20", "engine-control.budgets.events-per-second=30",
					"engine-control.budgets.events-burst=40", "engine-control.budgets.validate-per-second=50",
					"engine-control.budgets.validate-burst=60", "engine-control.budgets.max-tracked=70")
			.run((context) -> assertThat(context.getBean(EngineControlProperties.class).budgets())
				.isEqualTo(new EngineControlProperties.Budgets(false, 10, 20, 30, 40, 50, 60, 70)));
	}

	@Test
	void rateBelowOneStopsStartupNamingTheSetting() {
		this.runner.withPropertyValues("engine-control.budgets.checks-per-second=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("budgets.checksPerSecond"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EngineControlProperties.class)
	static class PropertiesConfiguration {

	}

}
