package io.puraifi.enginecontrol.engine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable store of enrollment tokens: their ceilings, uses and the hashes of the tokens.
 */
public interface EnrollmentTokenRepository {

	/**
	 * Stores a new token with its ceiling.
	 * @param token the token
	 * @param tokenHash the SHA-256 of the token
	 * @throws org.springframework.dao.DuplicateKeyException if the id or hash is taken
	 */
	void insert(EnrollmentToken token, String tokenHash);

	/**
	 * The token with this id.
	 * @return the token, or empty when unknown
	 */
	Optional<EnrollmentToken> findById(String tokenId);

	/**
	 * The token whose hash this is, whatever its state.
	 * @param tokenHash the SHA-256 of the presented token
	 * @return the token, or empty when unknown
	 */
	Optional<EnrollmentToken> findByHash(String tokenHash);

	/**
	 * Every token, newest first.
	 * @return the tokens
	 */
	List<EnrollmentToken> findAll();

	/**
	 * Takes one use of a token, atomically: succeeds only while the token is not revoked,
	 * not expired and has a use left, so two registrations never share the last use.
	 * @param tokenId the token id
	 * @param now the time of the registration
	 * @return true when a use was taken
	 */
	boolean consume(String tokenId, Instant now);

	/**
	 * Revokes a token.
	 * @return false when unknown or already revoked
	 */
	boolean revoke(String tokenId, Instant now);

}
