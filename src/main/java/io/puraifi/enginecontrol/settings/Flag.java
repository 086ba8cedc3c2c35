package io.puraifi.enginecontrol.settings;

import java.time.Instant;

/**
 * A flag that has been set.
 *
 * @param name the flag's name
 * @param enabled its value
 * @param updatedAt when it was last set
 */
public record Flag(String name, boolean enabled, Instant updatedAt) {
}
