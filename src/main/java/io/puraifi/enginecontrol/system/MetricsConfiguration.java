package io.puraifi.enginecontrol.system;

import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps {@code /actuator/prometheus} clean for {@code promtool check metrics}: every
 * meter gets help text, and the three built-in meters whose Prometheus names break the
 * conventions (an abbreviated unit, a {@code _count} suffix on a gauge) are left out.
 * Their information is elsewhere: {@code process_cpu_usage}, {@code jvm_info} and the
 * JVM's own metrics.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

	private static final Set<String> DENIED = Set.of("jvm.compilation.time", "process.cpu.time", "system.cpu.count");

	private static final Map<String, String> DESCRIPTIONS = Map.of("http.server.requests",
			"HTTP requests handled, by method, URI template, status and outcome", "http.server.requests.active",
			"HTTP requests being handled now");

	@Bean
	MeterFilter prometheusConventions() {
		return new MeterFilter() {

			@Override
			public MeterFilterReply accept(Meter.Id id) {
				return DENIED.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
			}

			@Override
			public Meter.Id map(Meter.Id id) {
				if (id.getDescription() != null) {
					return id;
				}
				String description = DESCRIPTIONS.getOrDefault(id.getName(), id.getName().replace('.', ' '));
				return new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()),
						id.getBaseUnit(), description, id.getType());
			}

		};
	}

}
