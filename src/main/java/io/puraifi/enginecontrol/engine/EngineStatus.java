package io.puraifi.enginecontrol.engine;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether an engine may act. A suspended engine is refused on every request until
 * resumed; a revoked engine is refused for good and its keys are revoked.
 */
public enum EngineStatus {

	ACTIVE, SUSPENDED, REVOKED;

	@JsonValue
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
