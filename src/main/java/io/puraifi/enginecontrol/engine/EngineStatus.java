package io.puraifi.enginecontrol.engine;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether an engine may act. A suspended engine is refused on every request until
 * resumed.
 */
public enum EngineStatus {

	ACTIVE, SUSPENDED;

	@JsonValue
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
