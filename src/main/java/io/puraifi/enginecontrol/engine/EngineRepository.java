package io.puraifi.enginecontrol.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Durable store of engines, their grants and the hashes of their keys.
 */
public interface EngineRepository {

	/**
	 * The engine with its grants.
	 * @param engineId the engine id
	 * @return the engine, or empty when unknown
	 */
	Optional<Engine> findById(String engineId);

	/**
	 * Hashes of the engine's keys.
	 * @param engineId the engine id
	 * @return SHA-256 hex digests, empty when none
	 */
	List<String> findKeyHashes(String engineId);

	/**
	 * Stores a new engine, its grants and its first key in one transaction.
	 * @param engine the engine
	 * @param keyHash the SHA-256 of its key
	 * @throws org.springframework.dao.DuplicateKeyException if the id is taken
	 */
	void insert(Engine engine, String keyHash);

	/**
	 * Changes an engine's status.
	 * @return false when the engine is unknown
	 */
	boolean updateStatus(String engineId, EngineStatus status, Instant now);

	/**
	 * Changes an engine's role.
	 * @return false when the engine is unknown
	 */
	boolean updateRole(String engineId, EngineRole role, Instant now);

	/**
	 * The ids of every engine with a role.
	 * @param role the role
	 * @return the ids, sorted
	 */
	List<String> findIdsByRole(EngineRole role);

	/**
	 * The ids of every engine, in no order.
	 * @return the ids
	 */
	List<String> findAllIds();

	/**
	 * Replaces all grants of an engine.
	 * @return false when the engine is unknown
	 */
	boolean replaceCapabilities(String engineId, Map<String, ? extends Set<String>> capabilities, Instant now);

	/**
	 * Replaces all keys of an engine by one key.
	 */
	void replaceKeys(String engineId, String keyHash, Instant now);

	/**
	 * A page of engines with their grants, ordered by engine id.
	 * @param status only engines with this status, or null for all
	 * @param afterEngineId only engines whose id sorts after this one, or null
	 * @param limit most engines
	 * @return at most {@code limit} engines
	 */
	List<Engine> findPage(EngineStatus status, String afterEngineId, int limit);

	/**
	 * Deletes an engine with its keys and grants. Its events stay.
	 * @return false when the engine is unknown
	 */
	boolean delete(String engineId);

	/**
	 * Every key of an engine, revoked and expired ones included, oldest first.
	 * @param engineId the engine id
	 * @return the keys, empty when none
	 */
	List<EngineKey> findKeys(String engineId);

	/**
	 * An engine with its grants and every one of its keys, in one round trip to the
	 * store: what {@link #findById} and {@link #findKeys} return together.
	 * @param engineId the engine id
	 * @return the engine and its keys, oldest first; empty when unknown
	 */
	Optional<EngineWithKeys> findWithKeys(String engineId);

	/**
	 * An engine and its keys.
	 *
	 * @param engine the engine with its grants
	 * @param keys every key, revoked and expired ones included, oldest first
	 */
	record EngineWithKeys(Engine engine, List<EngineKey> keys) {
	}

	/**
	 * Adds a key to an engine.
	 * @param engineId the engine id
	 * @param keyHash the SHA-256 of the key
	 * @param now its creation time
	 * @return the new key's id
	 * @throws org.springframework.dao.DuplicateKeyException if the hash is taken
	 */
	String addKey(String engineId, String keyHash, Instant now);

	/**
	 * Makes every usable key of an engine expire at the given time at the latest; keys
	 * that expire sooner keep their expiry.
	 * @param engineId the engine id
	 * @param expiresAt the latest expiry
	 * @param exceptKeyId a key left alone (the one just added), or null
	 * @return how many keys changed
	 */
	int expireKeys(String engineId, Instant expiresAt, String exceptKeyId);

	/**
	 * Revokes one key of an engine.
	 * @return false when the engine has no such key or it was already revoked
	 */
	boolean revokeKey(String engineId, String keyId, Instant now);

	/**
	 * Revokes every key of an engine not yet revoked.
	 * @return how many keys were revoked
	 */
	int revokeKeys(String engineId, Instant now);

	/**
	 * Records when keys were last used; a time earlier than the stored one is ignored.
	 * @param lastUsed key id to the time of its last use
	 */
	void recordKeyUse(Map<String, Instant> lastUsed);

}
