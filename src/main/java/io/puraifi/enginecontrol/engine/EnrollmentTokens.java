package io.puraifi.enginecontrol.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.puraifi.enginecontrol.audit.AuditTrail;
import io.puraifi.enginecontrol.platform.PlatformCatalog;
import io.puraifi.enginecontrol.propagation.ChangeKind;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.stereotype.Service;

/**
 * Operators' enrollment tokens: created with a capability ceiling, a lifetime and a
 * number of uses, listed without their values, revoked. Enrolling with one is
 * {@link EngineRegistrationService#enroll}.
 */
@Service
public class EnrollmentTokens {

	/** The longest lifetime a token may be given. */
	static final Duration MAX_TTL = Duration.ofDays(30);

	private final EnrollmentTokenRepository repository;

	private final PlatformCatalog catalog;

	private final Changes changes;

	private final AuditTrail audit;

	private final Clock clock;

	EnrollmentTokens(EnrollmentTokenRepository repository, PlatformCatalog catalog, Changes changes, AuditTrail audit,
			Clock clock) {
		this.repository = repository;
		this.catalog = catalog;
		this.changes = changes;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Creates a token.
	 * @param ceiling platform to the actions enrolling engines may get, all in the
	 * catalog
	 * @param ttl how long the token works
	 * @param uses how many engines it registers
	 * @param description free text
	 * @param createdBy the operator
	 * @return the token, whose value is shown once
	 */
	public Created create(Map<String, ? extends Collection<String>> ceiling, Duration ttl, int uses, String description,
			String createdBy) {
		if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
			throw new ProblemException(ProblemType.INVALID_REQUEST, "ttl must be positive and at most " + MAX_TTL);
		}
		this.catalog.requireKnown(ceiling);
		Instant now = this.clock.instant();
		EnrollmentToken token = new EnrollmentToken(UUID.randomUUID().toString(), description, ceiling, uses, now,
				now.plus(ttl), createdBy);
		String value = EngineKeys.generateEnrollmentToken();
		this.changes.run(ChangeKind.ENROLLMENT, token.tokenId(), () -> {
			this.repository.insert(token, EngineKeys.hash(value));
			this.audit.record("enrollment_token.create", "enrollment_token", token.tokenId(), null, token);
		});
		return new Created(token, value);
	}

	/**
	 * Every token, newest first, without values.
	 * @return the tokens
	 */
	public List<EnrollmentToken> list() {
		return this.repository.findAll();
	}

	/**
	 * Revokes a token; revoking a revoked token changes nothing.
	 * @param tokenId the token id
	 */
	public void revoke(String tokenId) {
		EnrollmentToken before = this.repository.findById(tokenId)
			.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No enrollment token '" + tokenId + "'"));
		if (before.revokedAt() != null) {
			return;
		}
		Instant now = this.clock.instant();
		this.changes.run(ChangeKind.ENROLLMENT, tokenId, () -> {
			this.repository.revoke(tokenId, now);
			this.audit.record("enrollment_token.revoke", "enrollment_token", tokenId, before, before.revoked(now));
		});
	}

	/**
	 * The current time, to state a token's status.
	 * @return now
	 */
	Instant now() {
		return this.clock.instant();
	}

	/**
	 * A new token and its value.
	 *
	 * @param token the token
	 * @param value the token itself, shown once
	 */
	public record Created(EnrollmentToken token, String value) {

		@Override
		public String toString() {
			return "Created[token=" + this.token + ", value=(hidden)]";
		}

	}

}
