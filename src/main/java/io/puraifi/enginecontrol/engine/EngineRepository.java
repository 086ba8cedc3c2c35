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
	 * Replaces all grants of an engine.
	 * @return false when the engine is unknown
	 */
	boolean replaceCapabilities(String engineId, Map<String, ? extends Set<String>> capabilities, Instant now);

	/**
	 * Replaces all keys of an engine by one key.
	 */
	void replaceKeys(String engineId, String keyHash, Instant now);

}
