package io.puraifi.enginecontrol.settings;

import java.time.Instant;
import java.util.List;
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
	 * Every flag with when it was last set.
	 * @return the flags, sorted by name
	 */
	List<Flag> list();

	/**
	 * Creates or updates a flag.
	 */
	void save(String name, boolean enabled, Instant now);

	/**
	 * Removes a flag, which then counts as never set.
	 * @return false when it was not set
	 */
	boolean delete(String name);

}
