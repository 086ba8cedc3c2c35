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
	 * A flag with its mode.
	 * @param name the flag's name
	 * @return the flag, or empty when not set
	 */
	Optional<Flag> findFlag(String name);

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
	 * Creates or updates a flag in enforce mode.
	 */
	default void save(String name, boolean enabled, Instant now) {
		save(name, enabled, false, now);
	}

	/**
	 * Creates or updates a flag.
	 * @param name the flag's name
	 * @param enabled its value
	 * @param shadow whether it is in shadow mode
	 * @param now when
	 */
	void save(String name, boolean enabled, boolean shadow, Instant now);

	/**
	 * Removes a flag, which then counts as never set.
	 * @return false when it was not set
	 */
	boolean delete(String name);

}
