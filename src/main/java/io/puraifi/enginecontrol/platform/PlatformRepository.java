package io.puraifi.enginecontrol.platform;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable store of the platform catalog and each platform's status.
 */
public interface PlatformRepository {

	List<Platform> findAll();

	Optional<Platform> findByName(String name);

	/**
	 * Inserts or updates a platform's definition and its actions, keeping its status.
	 */
	void applyDefinition(PlatformDefinition definition, Instant now);

	/**
	 * Sets a platform's status.
	 * @return false when the platform is unknown
	 */
	boolean updateStatus(String name, PlatformStatus status, String message, Instant now);

}
