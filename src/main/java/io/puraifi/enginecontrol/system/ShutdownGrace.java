package io.puraifi.enginecontrol.system;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The first step of a shutdown: readiness goes down, then requests are still accepted and
 * served for {@code engine-control.shutdown.readiness-grace}, so a load balancer that
 * polls readiness stops sending before the port closes. Only then does the web server's
 * graceful shutdown close the port and drain in-flight requests (for at most
 * {@code spring.lifecycle.timeout-per-shutdown-phase}).
 * <p>
 * Spring Boot sets readiness to refusing traffic when the context begins to close, but
 * the web server's graceful shutdown follows at once and refuses new connections, so a
 * balancer would see refused connections rather than a 503. This listener runs on
 * {@link ContextClosedEvent}, which the context publishes before it stops any lifecycle
 * bean: during the grace the web server, change following and key-use flushing all keep
 * running. A context that never became ready (a failed start) closes without the grace.
 */
@Component
class ShutdownGrace {

	private static final Logger log = LoggerFactory.getLogger(ShutdownGrace.class);

	private final ApplicationContext context;

	private final Duration grace;

	private final Duration drainTimeout;

	private volatile boolean ready;

	ShutdownGrace(ApplicationContext context, EngineControlProperties properties,
			ObjectProvider<LifecycleProperties> lifecycle) {
		this.context = context;
		this.grace = properties.shutdown().readinessGrace();
		this.drainTimeout = lifecycle.getIfAvailable(LifecycleProperties::new).getTimeoutPerShutdownPhase();
	}

	@EventListener
	void ready(ApplicationReadyEvent event) {
		if (event.getApplicationContext() == this.context) {
			this.ready = true;
		}
	}

	@EventListener
	void closing(ContextClosedEvent event) {
		if (event.getApplicationContext() != this.context || !this.ready) {
			return;
		}
		AvailabilityChangeEvent.publish(this.context, ReadinessState.REFUSING_TRAFFIC);
		log.atInfo()
			.addKeyValue("readiness_grace_ms", this.grace.toMillis())
			.addKeyValue("drain_timeout_ms", this.drainTimeout.toMillis())
			.log("Shutting down: readiness is down; still serving requests during the readiness grace");
		if (!this.grace.isZero()) {
			try {
				Thread.sleep(this.grace.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		log.atInfo()
			.addKeyValue("drain_timeout_ms", this.drainTimeout.toMillis())
			.log("Readiness grace over: closing the port and draining in-flight requests");
	}

}
