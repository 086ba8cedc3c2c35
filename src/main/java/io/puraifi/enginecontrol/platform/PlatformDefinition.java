package io.puraifi.enginecontrol.platform;

import java.util.List;
import java.util.Map;

/**
 * A platform as the catalog file defines it, without runtime status.
 *
 * @param name the platform's id
 * @param displayName a human name
 * @param version the platform API version
 * @param actions action name to required scopes
 */
public record PlatformDefinition(String name, String displayName, String version, Map<String, List<String>> actions) {

	/**
	 * Whether a stored platform already has exactly this definition.
	 * @param platform the stored platform
	 * @return true when name, display name, version, actions and scopes are the same
	 */
	boolean isDefinitionOf(Platform platform) {
		return this.name.equals(platform.name()) && this.displayName.equals(platform.displayName())
				&& this.version.equals(platform.version()) && this.actions.equals(platform.actions());
	}

}
