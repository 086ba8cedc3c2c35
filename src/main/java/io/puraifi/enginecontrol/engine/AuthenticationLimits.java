package io.puraifi.enginecontrol.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The limits on failed authentications ({@code engine-control.auth-limits.*}): one
 * limiter for engine credentials and enrollment tokens, by client address and (engine id,
 * address); one for {@code /engines/validate}, by calling engine and (calling engine,
 * validated engine id). Refusals are counted in
 * {@code engine.control.authentication.limited}, tagged only by which limiter refused:
 * never an id, an address or a key. Public only so that web slice tests can import it.
 */
@Component
public class AuthenticationLimits {

	private final boolean enabled;

	private final FailureLimiter credentials;

	private final FailureLimiter validations;

	private final Counter credentialsLimited;

	private final Counter validationsLimited;

	AuthenticationLimits(EngineControlProperties properties, ObjectProvider<Ticker> ticker,
			ObjectProvider<MeterRegistry> meters) {
		EngineControlProperties.AuthLimits limits = properties.authLimits();
		Ticker source = ticker.getIfAvailable(Ticker::systemTicker);
		MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
		this.enabled = limits.enabled();
		this.credentials = new FailureLimiter(limits.failuresPerAddress(), limits.failuresPerEngine(), limits.window(),
				limits.maxTracked(), source);
		this.validations = new FailureLimiter(limits.failuresPerAddress(), limits.failuresPerEngine(), limits.window(),
				limits.maxTracked(), source);
		this.credentialsLimited = limited(registry, "credentials");
		this.validationsLimited = limited(registry, "validation");
		CaffeineCacheMetrics.monitor(registry, this.credentials.sources(), "auth_failures_by_address");
		CaffeineCacheMetrics.monitor(registry, this.credentials.pairs(), "auth_failures_by_engine_and_address");
		CaffeineCacheMetrics.monitor(registry, this.validations.sources(), "validate_failures_by_caller");
		CaffeineCacheMetrics.monitor(registry, this.validations.pairs(), "validate_failures_by_caller_and_engine");
	}

	private static Counter limited(MeterRegistry registry, String limiter) {
		return Counter.builder("engine.control.authentication.limited")
			.description("Requests refused with 429 after too many failed authentications, by limiter")
			.tag("limiter", limiter)
			.register(registry);
	}

	/**
	 * How long a credentials attempt from this address for this engine id must wait.
	 * @param address the client address
	 * @param engineId the claimed engine id, or null (an enrollment)
	 * @return the wait, or empty when the attempt may go on
	 */
	Optional<Duration> credentialsBlocked(String address, String engineId) {
		if (!this.enabled) {
			return Optional.empty();
		}
		Optional<Duration> wait = this.credentials.blocked(address, engineId);
		wait.ifPresent((ignored) -> this.credentialsLimited.increment());
		return wait;
	}

	void credentialsFailed(String address, String engineId) {
		if (this.enabled) {
			this.credentials.failed(address, engineId);
		}
	}

	/**
	 * Refuses a validation when the caller, or the caller for this engine id, has used up
	 * its failures.
	 * @param callerId the authenticated caller
	 * @param engineId the engine id whose credentials are validated
	 * @throws ProblemException 429 with {@code Retry-After}
	 */
	void requireValidationAllowed(String callerId, String engineId) {
		if (!this.enabled) {
			return;
		}
		Optional<Duration> wait = this.validations.blocked(callerId, engineId);
		if (wait.isPresent()) {
			this.validationsLimited.increment();
			throw tooMany(wait.get());
		}
	}

	void validationFailed(String callerId, String engineId) {
		if (this.enabled) {
			this.validations.failed(callerId, engineId);
		}
	}

	static ProblemException tooMany(Duration wait) {
		return new ProblemException(ProblemType.TOO_MANY_REQUESTS,
				"Too many failed attempts; retry after " + ProblemException.retryAfterSeconds(wait) + " s", Map.of(),
				wait);
	}

	FailureLimiter credentials() {
		return this.credentials;
	}

	FailureLimiter validations() {
		return this.validations;
	}

}
