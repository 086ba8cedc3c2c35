package io.puraifi.enginecontrol.engine;

import java.time.Instant;

/**
 * One of an engine's keys as stored: its SHA-256 and its life. A key is usable until it
 * is revoked or its expiry (set when a newer key was rotated in) has passed.
 *
 * @param keyId the key's id, safe to show
 * @param engineId the engine it belongs to
 * @param keyHash SHA-256 of the key as hex; never shown or logged
 * @param createdAt when it was issued
 * @param expiresAt when it stops working, or null for never
 * @param revokedAt when it was revoked, or null
 * @param lastUsedAt when it last authenticated a request, approximately, or null
 */
public record EngineKey(String keyId, String engineId, String keyHash, Instant createdAt, Instant expiresAt,
		Instant revokedAt, Instant lastUsedAt) {

	/**
	 * Whether the key authenticates a request at the given time.
	 * @param now the time of the request
	 * @return false when revoked or expired
	 */
	public boolean isUsableAt(Instant now) {
		return this.revokedAt == null && isUnexpiredAt(this.expiresAt, now);
	}

	/**
	 * Whether an expiry has not yet been reached: a key expiring at {@code t} works
	 * before {@code t} and not from {@code t} on.
	 * @param expiresAt the expiry, or null for never
	 * @param now the time of the request
	 * @return true when still valid
	 */
	static boolean isUnexpiredAt(Instant expiresAt, Instant now) {
		return expiresAt == null || now.isBefore(expiresAt);
	}

	@Override
	public String toString() {
		return "EngineKey[keyId=" + this.keyId + ", engineId=" + this.engineId + ", expiresAt=" + this.expiresAt
				+ ", revokedAt=" + this.revokedAt + "]";
	}

}
