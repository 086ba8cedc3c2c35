package io.puraifi.enginecontrol.engine;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a principal is: an engine that asks for decisions, or the operator who administers
 * Engine Control.
 */
public enum EngineRole {

	ENGINE, ADMIN;

	@JsonValue
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
