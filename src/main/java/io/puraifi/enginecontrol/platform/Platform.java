package io.puraifi.enginecontrol.platform;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * A platform of the catalog with its runtime status.
 *
 * @param name the platform's id, as engines name it
 * @param displayName a human name
 * @param version the platform API version engines should use
 * @param status current availability
 * @param statusMessage why it has that status, if anyone said
 * @param actions action name to the scopes it requires
 * @param updatedAt when definition or status last changed
 */
public record Platform(String name, String displayName, String version, PlatformStatus status, String statusMessage,
		SortedMap<String, List<String>> actions, Instant updatedAt) {

	/**
	 * The scopes an action requires.
	 * @param actionType the action name
	 * @return the scopes, or null when the platform has no such action
	 */
	public List<String> requiredScopes(String actionType) {
		return this.actions.get(actionType);
	}

}
