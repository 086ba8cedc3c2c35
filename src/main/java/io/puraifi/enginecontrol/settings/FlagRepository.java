package io.puraifi.enginecontrol.settings;

import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Durable store of feature flags.
 */
public interface FlagRepository {

	Optional<Boolean> find(String name);

	/**
	 * Every flag.
	 * @return flag name to value, sorted by name
	 */
	SortedMap<String, Boolean> findAll();

	/**
	 * Creates or updates a flag.
	 */
	void save(String name, boolean enabled, Instant now);

}
