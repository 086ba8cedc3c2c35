package io.puraifi.enginecontrol.settings;

import java.time.Instant;

/**
 * A flag that has been set.
 *
 * @param name the flag's name
 * @param enabled its value
 * @param shadow whether it is in shadow mode: a kill switch off in shadow mode does not
 * deny, it only reports the checks it would have denied
 * @param updatedAt when it was last set
 */
public record Flag(String name, boolean enabled, boolean shadow, Instant updatedAt) {

	/**
	 * A flag in enforce mode.
	 */
	public Flag(String name, boolean enabled, Instant updatedAt) {
		this(name, enabled, false, updatedAt);
	}

	/**
	 * The mode as written in JSON and in the store.
	 * @return {@code enforce} or {@code shadow}
	 */
	public String mode() {
		return this.shadow ? FeatureFlags.SHADOW : FeatureFlags.ENFORCE;
	}

}
