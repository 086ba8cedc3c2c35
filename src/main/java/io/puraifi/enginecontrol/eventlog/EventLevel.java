package io.puraifi.enginecontrol.eventlog;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Severity of an engine event.
 */
public enum EventLevel {

	DEBUG, INFO, WARN, ERROR;

	@JsonValue
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
