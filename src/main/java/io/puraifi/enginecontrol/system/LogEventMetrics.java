package io.puraifi.enginecontrol.system;

import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * {@code logback_events_total{level}}: the log lines written, by level. Counted by an
 * appender on the root logger, which logback calls once per line written. Spring Boot's
 * own binder (Micrometer's {@code LogbackMetrics}, left out in
 * {@code EngineControlApplication}) counts in a turbo filter instead, which logback also
 * asks on every {@code isDebugEnabled()}-style question, dozens of them per request, when
 * nothing is written.
 */
@Component
class LogEventMetrics implements MeterBinder, DisposableBean {

	private volatile Appender appender;

	@Override
	public void bindTo(MeterRegistry registry) {
		if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
			return;
		}
		Appender counting = new Appender(Map.of(Level.ERROR, counter(registry, "error"), Level.WARN,
				counter(registry, "warn"), Level.INFO, counter(registry, "info"), Level.DEBUG,
				counter(registry, "debug"), Level.TRACE, counter(registry, "trace")));
		// one per application context: contexts side by side in one JVM (tests) each
		// count
		counting.setName("LOG_EVENT_METRICS-" + System.identityHashCode(counting));
		counting.setContext(context);
		counting.start();
		context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(counting);
		// a reset of the logging configuration detaches every appender: attach it again
		context.addListener(counting);
		this.appender = counting;
	}

	private static Counter counter(MeterRegistry registry, String level) {
		return Counter.builder("logback.events")
			.description("Log lines written, by level")
			.baseUnit("events")
			.tag("level", level)
			.register(registry);
	}

	@Override
	public void destroy() {
		Appender counting = this.appender;
		if (counting != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
			context.removeListener(counting);
			context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(counting);
			counting.stop();
		}
	}

	private static final class Appender extends UnsynchronizedAppenderBase<ILoggingEvent>
			implements LoggerContextListener {

		private final Map<Level, Counter> counters;

		Appender(Map<Level, Counter> counters) {
			this.counters = counters;
		}

		@Override
		protected void append(ILoggingEvent event) {
			Counter counter = this.counters.get(event.getLevel());
			if (counter != null) {
				counter.increment();
			}
		}

		@Override
		public boolean isResetResistant() {
			return true;
		}

		@Override
		public void onReset(LoggerContext context) {
			Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
			if (!root.isAttached(this)) {
				if (!isStarted()) {
					start();
				}
				root.addAppender(this);
			}
		}

		@Override
		public void onStart(LoggerContext context) {
		}

		@Override
		public void onStop(LoggerContext context) {
		}

		@Override
		public void onLevelChange(Logger logger, Level level) {
		}

	}

}
