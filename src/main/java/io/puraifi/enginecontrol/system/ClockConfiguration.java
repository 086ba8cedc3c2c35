package io.puraifi.enginecontrol.system;

import java.time.Clock;
import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

	/**
	 * The system clock in whole microseconds, the precision of the store: a time the
	 * service answers with (an engine's {@code created_at}, an event's
	 * {@code received_at}) is the time it later reads back.
	 * @return the clock
	 */
	@Bean
	Clock clock() {
		return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
	}

}
