package io.puraifi.enginecontrol.system;

import java.util.regex.Pattern;

/**
 * The rules for the names a client chooses, each held once: its pattern (a constant, so
 * that {@code @Pattern(regexp = ...)} can use it) and the same rule in words, which is
 * what a client that breaks it is told ({@code message} of the constraint, or of the
 * problem). Code that checks a name by hand for speed is tested against these patterns.
 */
public final class Names {

	/** Engine ids. */
	public static final String ENGINE_ID = "^[a-z][a-z0-9_-]{1,63}$";

	/** {@link #ENGINE_ID} in words. */
	public static final String ENGINE_ID_RULE = "must be 2 to 64 characters: lower-case letters a-z, digits, "
			+ "'_' and '-', starting with a lower-case letter";

	/** Platform and action names. */
	public static final String NAME = "^[a-z][a-z0-9_]{0,63}$";

	/** {@link #NAME} in words. */
	public static final String NAME_RULE = "must be 1 to 64 characters: lower-case letters a-z, digits and '_', "
			+ "starting with a lower-case letter";

	/** Feature flag and quota rule names. */
	public static final String SETTING_NAME = "^[a-z0-9][a-z0-9_.-]{0,127}$";

	/** {@link #SETTING_NAME} in words. */
	public static final String SETTING_NAME_RULE = "must be 1 to 128 characters: lower-case letters a-z, digits, "
			+ "'_', '.' and '-', starting with a lower-case letter or a digit";

	/** Event types. */
	public static final String EVENT_TYPE = "^[a-z][a-z0-9_.-]{0,63}$";

	/** {@link #EVENT_TYPE} in words. */
	public static final String EVENT_TYPE_RULE = "must be 1 to 64 characters: lower-case letters a-z, digits, "
			+ "'_', '.' and '-', starting with a lower-case letter";

	private static final Pattern ENGINE_ID_PATTERN = Pattern.compile(ENGINE_ID);

	private static final Pattern NAME_PATTERN = Pattern.compile(NAME);

	private static final Pattern SETTING_NAME_PATTERN = Pattern.compile(SETTING_NAME);

	private static final Pattern EVENT_TYPE_PATTERN = Pattern.compile(EVENT_TYPE);

	private Names() {
	}

	/**
	 * Whether a string is a well-formed engine id.
	 * @param id the string, may be null
	 * @return whether it matches {@link #ENGINE_ID}
	 */
	public static boolean isEngineId(String id) {
		return id != null && ENGINE_ID_PATTERN.matcher(id).matches();
	}

	/**
	 * Whether a string is a well-formed platform or action name.
	 * @param name the string, may be null
	 * @return whether it matches {@link #NAME}
	 */
	public static boolean isName(String name) {
		return name != null && NAME_PATTERN.matcher(name).matches();
	}

	/**
	 * Whether a string is a well-formed feature flag or quota rule name.
	 * @param name the string, may be null
	 * @return whether it matches {@link #SETTING_NAME}
	 */
	public static boolean isSettingName(String name) {
		return name != null && SETTING_NAME_PATTERN.matcher(name).matches();
	}

	/**
	 * Whether a string is a well-formed event type.
	 * @param type the string, may be null
	 * @return whether it matches {@link #EVENT_TYPE}
	 */
	public static boolean isEventType(String type) {
		return type != null && EVENT_TYPE_PATTERN.matcher(type).matches();
	}

}
