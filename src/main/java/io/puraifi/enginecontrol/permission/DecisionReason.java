package io.puraifi.enginecontrol.permission;

/**
 * Why a check was allowed or denied. The names are part of the API and never change.
 */
public enum DecisionReason {

	/** Granted, platform usable, no kill switch off. */
	ALLOWED,

	/** No engine of that id (only an operator can ask about another engine). */
	UNKNOWN_ENGINE,

	/** The engine is suspended. */
	ENGINE_SUSPENDED,

	/** The engine is revoked, for good. */
	ENGINE_REVOKED,

	/** The catalog has no such platform. */
	UNKNOWN_PLATFORM,

	/** The platform has no such action. */
	UNKNOWN_ACTION,

	/** The engine holds no grant for this action on this platform. */
	ACTION_NOT_GRANTED,

	/** The platform is disabled. */
	PLATFORM_DISABLED,

	/**
	 * The platform is in maintenance: set by an operator, or a scheduled window is in
	 * effect (then the check says {@code retry_after}).
	 */
	PLATFORM_MAINTENANCE,

	/**
	 * A kill switch (feature flag) is off: global, for the engine, the platform or the
	 * action.
	 */
	FLAG_DISABLED,

	/**
	 * An enforcing quota rule has no unit left in the current window of one of its
	 * limits; the check says {@code quota} and {@code retry_after} (seconds).
	 */
	QUOTA_EXCEEDED

}
