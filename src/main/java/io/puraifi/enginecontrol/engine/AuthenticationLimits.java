package io.puraifi.enginecontrol.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import jakarta.servlet.http.HttpServletRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The limits on failed authentications ({@code engine-control.auth-limits.*}). They
 * refuse failing attempts only: a right key is let in however many failures came before
 * it (keys carry 256 random bits, so the limits bound cost, not guessing). Kept apart:
 * <ul>
 * <li>engine credentials, by client address and (address, engine id);</li>
 * <li>unknown engine ids looked up in the store, by client address: past the limit, an
 * attempt from that address is checked against the cache only;</li>
 * <li>enrollment tokens, by client address (a token is checked in the store, so past the
 * limit even a good one waits);</li>
 * <li>{@code /engines/validate}, by calling engine and (calling engine, validated engine
 * id), with its own count of unknown ids looked up.</li>
 * </ul>
 * Refusals are counted in {@code engine.control.authentication.limited}, tagged only by
 * which limiter refused: never an id, an address or a key. Public only so that web slice
 * tests can import it.
 */
@Component
public class AuthenticationLimits {

	private final boolean enabled;

	private final ClientAddresses clientAddresses;

	private final FailureLimiter credentials;

	private final FailureLimiter lookups;

	private final FailureLimiter enrollments;

	private final FailureLimiter validations;

	private final FailureLimiter validationLookups;

	private final Counter credentialsLimited;

	private final Counter enrollmentsLimited;

	private final Counter validationsLimited;

	AuthenticationLimits(EngineControlProperties properties, ObjectProvider<Ticker> ticker,
			ObjectProvider<MeterRegistry> meters) {
		EngineControlProperties.AuthLimits limits = properties.authLimits();
		Ticker source = ticker.getIfAvailable(Ticker::systemTicker);
		MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
		this.enabled = limits.enabled();
		this.clientAddresses = new ClientAddresses(limits.trustedProxyRanges());
		this.credentials = limiter(limits, source);
		this.lookups = limiter(limits, source);
		this.enrollments = limiter(limits, source);
		this.validations = limiter(limits, source);
		this.validationLookups = limiter(limits, source);
		this.credentialsLimited = limited(registry, "credentials");
		this.enrollmentsLimited = limited(registry, "enrollment");
		this.validationsLimited = limited(registry, "validation");
		CaffeineCacheMetrics.monitor(registry, this.credentials.sources(), "auth_failures_by_address");
		CaffeineCacheMetrics.monitor(registry, this.credentials.pairs(), "auth_failures_by_engine_and_address");
		CaffeineCacheMetrics.monitor(registry, this.lookups.sources(), "auth_unknown_ids_by_address");
		CaffeineCacheMetrics.monitor(registry, this.enrollments.sources(), "enrollment_failures_by_address");
		CaffeineCacheMetrics.monitor(registry, this.validations.sources(), "validate_failures_by_caller");
		CaffeineCacheMetrics.monitor(registry, this.validations.pairs(), "validate_failures_by_caller_and_engine");
		CaffeineCacheMetrics.monitor(registry, this.validationLookups.sources(), "validate_unknown_ids_by_caller");
	}

	private static FailureLimiter limiter(EngineControlProperties.AuthLimits limits, Ticker ticker) {
		return new FailureLimiter(limits.failuresPerAddress(), limits.failuresPerEngine(), limits.window(),
				limits.maxTracked(), ticker);
	}

	/**
	 * The address a request's failures are counted under ({@link ClientAddresses}).
	 * @param request the request
	 * @return the client address, an IPv6 one as its /64
	 */
	String clientAddress(HttpServletRequest request) {
		return this.clientAddresses.of(request);
	}

	private static Counter limited(MeterRegistry registry, String limiter) {
		return Counter.builder("engine.control.authentication.limited")
			.description("Requests refused with 429 after too many failed authentications, by limiter")
			.tag("limiter", limiter)
			.register(registry);
	}

	/**
	 * Whether this address, or this engine id from it, has used up its failures. An
	 * attempt past the limit still gets in with a right key; a wrong one is refused with
	 * 429.
	 * @param address the client address, as {@link ClientAddresses} counts it
	 * @param engineId the claimed engine id
	 * @return how long until the window ends, or empty when under the limit
	 */
	Optional<Duration> credentialsBlocked(String address, String engineId) {
		return this.enabled ? this.credentials.blocked(address, engineId) : Optional.empty();
	}

	/**
	 * Whether this address has used up its lookups of unknown engine ids: past it, ids
	 * this replica has not cached are refused without asking the store.
	 * @param address the client address
	 * @return how long until the window ends, or empty when the store may be asked
	 */
	Optional<Duration> lookupsBlocked(String address) {
		return this.enabled ? this.lookups.blocked(address, null) : Optional.empty();
	}

	/**
	 * Records a failed attempt with engine credentials.
	 * @param address the client address
	 * @param engineId the claimed engine id
	 * @param unknownId whether the store was asked about the id and did not know it
	 */
	void credentialsFailed(String address, String engineId, boolean unknownId) {
		if (this.enabled) {
			this.credentials.failed(address, engineId);
			if (unknownId) {
				this.lookups.failed(address, null);
			}
		}
	}

	/** Counts a credentials attempt refused with 429. */
	void credentialsRefused() {
		this.credentialsLimited.increment();
	}

	/**
	 * How long an enrollment from this address must wait.
	 * @param address the client address
	 * @return the wait, or empty when it may go on
	 */
	Optional<Duration> enrollmentBlocked(String address) {
		if (!this.enabled) {
			return Optional.empty();
		}
		Optional<Duration> wait = this.enrollments.blocked(address, null);
		wait.ifPresent((ignored) -> this.enrollmentsLimited.increment());
		return wait;
	}

	void enrollmentFailed(String address) {
		if (this.enabled) {
			this.enrollments.failed(address, null);
		}
	}

	/**
	 * Whether the caller, or the caller for this engine id, has used up its failed
	 * validations.
	 * @param callerId the authenticated caller
	 * @param engineId the engine id whose credentials are validated
	 * @return how long until the window ends, or empty when under the limit
	 */
	Optional<Duration> validationBlocked(String callerId, String engineId) {
		return this.enabled ? this.validations.blocked(callerId, engineId) : Optional.empty();
	}

	/**
	 * Whether the caller has used up its validations of unknown engine ids.
	 * @param callerId the authenticated caller
	 * @return how long until the window ends, or empty when the store may be asked
	 */
	Optional<Duration> validationLookupsBlocked(String callerId) {
		return this.enabled ? this.validationLookups.blocked(callerId, null) : Optional.empty();
	}

	void validationFailed(String callerId, String engineId, boolean unknownId) {
		if (this.enabled) {
			this.validations.failed(callerId, engineId);
			if (unknownId) {
				this.validationLookups.failed(callerId, null);
			}
		}
	}

	/**
	 * A validation refused with 429, counted.
	 * @param wait until the window ends
	 * @return the problem to throw
	 */
	ProblemException validationRefused(Duration wait) {
		this.validationsLimited.increment();
		return tooMany(wait);
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

	List<FailureLimiter> all() {
		return List.of(this.credentials, this.lookups, this.enrollments, this.validations, this.validationLookups);
	}

}
