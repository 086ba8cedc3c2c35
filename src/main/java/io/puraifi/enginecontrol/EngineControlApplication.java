package io.puraifi.enginecontrol;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import io.puraifi.enginecontrol.system.CleanStop;

/**
 * Engine Control: decides which engine may perform which action on which platform, and
 * keeps the record.
 */
// logback_events_total is counted by system/LogEventMetrics instead, without a turbo
// filter
@SpringBootApplication(
		excludeName = "org.springframework.boot.micrometer.metrics.autoconfigure.logging.logback.LogbackMetricsAutoConfiguration")
@ConfigurationPropertiesScan
public class EngineControlApplication {

	public static void main(String[] args) {
		CleanStop.onSignals();
		SpringApplication.run(EngineControlApplication.class, args);
	}

}
