package io.puraifi.enginecontrol.engine;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * A token with which an engine registers itself, within a capability ceiling, a number of
 * uses and a lifetime. The token itself is never kept, only its SHA-256.
 *
 * @param tokenId the token's id, safe to show
 * @param description free text for operators
 * @param capabilities the ceiling: platform to the actions an enrolling engine may get
 * @param uses how many registrations it allowed when created
 * @param usesLeft how many it still allows
 * @param createdAt when it was created
 * @param expiresAt when it stops working
 * @param revokedAt when an operator revoked it, or null
 * @param createdBy the operator who created it
 */
public record EnrollmentToken(String tokenId, String description, SortedMap<String, SortedSet<String>> capabilities,
		int uses, int usesLeft, Instant createdAt, Instant expiresAt, Instant revokedAt, String createdBy) {

	public EnrollmentToken {
		capabilities = Engine.sorted(capabilities);
	}

	EnrollmentToken(String tokenId, String description, Map<String, ? extends Collection<String>> capabilities,
			int uses, Instant createdAt, Instant expiresAt, String createdBy) {
		this(tokenId, description, Engine.sorted(capabilities), uses, uses, createdAt, expiresAt, null, createdBy);
	}

	/**
	 * Whether the token registers an engine at the given time.
	 * @param now the time of the registration
	 * @return false when revoked, used up or expired
	 */
	public boolean isUsableAt(Instant now) {
		return status(now) == Status.ACTIVE;
	}

	/**
	 * The token's state at the given time; revoked wins over used up, used up over
	 * expired.
	 * @param now the time
	 * @return the state
	 */
	public Status status(Instant now) {
		if (this.revokedAt != null) {
			return Status.REVOKED;
		}
		if (this.usesLeft <= 0) {
			return Status.USED_UP;
		}
		return now.isBefore(this.expiresAt) ? Status.ACTIVE : Status.EXPIRED;
	}

	EnrollmentToken revoked(Instant now) {
		return new EnrollmentToken(this.tokenId, this.description, this.capabilities, this.uses, this.usesLeft,
				this.createdAt, this.expiresAt, now, this.createdBy);
	}

	/**
	 * What a token's state is.
	 */
	public enum Status {

		ACTIVE, EXPIRED, USED_UP, REVOKED;

		@com.fasterxml.jackson.annotation.JsonValue
		public String value() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
