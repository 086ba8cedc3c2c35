package io.puraifi.enginecontrol.platform;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A platform's availability. Checks are allowed on available and degraded platforms and
 * denied on platforms in maintenance or disabled.
 */
public enum PlatformStatus {

	AVAILABLE, DEGRADED, MAINTENANCE, DISABLED;

	@JsonValue
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
