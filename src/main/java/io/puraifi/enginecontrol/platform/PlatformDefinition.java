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
}
