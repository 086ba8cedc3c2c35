package io.puraifi.enginecontrol.support;

import java.util.Map;

import io.puraifi.enginecontrol.system.EngineControlProperties;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.NestedExceptionUtils;

/**
 * {@link EngineControlProperties} bound from settings as Spring Boot binds them at
 * start-up, with their validation, for tests of a component's settings.
 */
public final class Settings {

	private Settings() {
	}

	/**
	 * The properties these settings make; the others take their defaults.
	 * @param settings full setting names ({@code engine-control.…}) and their values
	 * @return the bound properties
	 */
	public static EngineControlProperties bind(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("engine-control",
				EngineControlProperties.class);
	}

	/**
	 * Why one setting is refused: the message of the most specific cause, or
	 * {@code "bound"} when it is not refused.
	 * @param setting the full setting name
	 * @param value its value
	 * @return the message, or {@code "bound"}
	 */
	public static String bindFailure(String setting, String value) {
		try {
			bind(Map.of(setting, value));
			return "bound";
		}
		catch (RuntimeException ex) {
			return NestedExceptionUtils.getMostSpecificCause(ex).getMessage();
		}
	}

}
