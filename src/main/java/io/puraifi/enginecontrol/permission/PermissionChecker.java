package io.puraifi.enginecontrol.permission;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.puraifi.enginecontrol.engine.Engine;
import io.puraifi.enginecontrol.platform.Availability;
import io.puraifi.enginecontrol.platform.Platform;
import io.puraifi.enginecontrol.platform.PlatformStatus;
import io.puraifi.enginecontrol.settings.FeatureFlags;

/**
 * The permission decision, as a pure function of what is known about the engine, the
 * platform and the kill switches. No I/O, no Spring: every case is a unit test.
 * <p>
 * The order of the rules matters and is part of the contract: who the engine is, what the
 * catalog knows, what the engine was granted, whether the platform can be used now, then
 * the kill switches. An engine without a grant learns nothing about the platform's
 * availability.
 * <p>
 * Whether the platform can be used now combines its status and its maintenance windows at
 * {@code now} ({@link Platform#availabilityAt}): {@code disabled} beats everything, an
 * operator-set {@code maintenance} beats a window, a window in effect beats
 * {@code available} and {@code degraded}. The kill switches are consulted in the order
 * global, engine, platform, action ({@link FeatureFlags#killSwitchesFor}); the first one
 * off names the denial. A flag never set counts as on.
 */
final class PermissionChecker {

	private PermissionChecker() {
	}

	/**
	 * Decides a check.
	 * @param engineId the engine the check is for
	 * @param engine that engine, or null when unknown
	 * @param platformName the platform asked for
	 * @param platform that platform, or null when not in the catalog
	 * @param actionType the action asked for
	 * @param flags flag name to its value, empty when never set
	 * @param now the instant of the decision, against which maintenance windows are
	 * evaluated
	 * @return the decision
	 */
	static Decision decide(String engineId, Engine engine, String platformName, Platform platform, String actionType,
			Function<String, Optional<Boolean>> flags, Instant now) {
		if (engine == null) {
			return Decision.deny(DecisionReason.UNKNOWN_ENGINE, "No engine named '" + engineId + "'", null);
		}
		if (engine.isRevoked()) {
			return Decision.deny(DecisionReason.ENGINE_REVOKED, "Engine '" + engineId + "' is revoked", null);
		}
		if (!engine.isActive()) {
			return Decision.deny(DecisionReason.ENGINE_SUSPENDED, "Engine '" + engineId + "' is suspended", null);
		}
		if (platform == null) {
			return Decision.deny(DecisionReason.UNKNOWN_PLATFORM, "No platform named '" + platformName + "'", null);
		}
		List<String> scopes = platform.requiredScopes(actionType);
		if (scopes == null) {
			return Decision.deny(DecisionReason.UNKNOWN_ACTION,
					"Platform '" + platformName + "' has no action '" + actionType + "'", null);
		}
		if (!engine.isGranted(platformName, actionType)) {
			return Decision.deny(DecisionReason.ACTION_NOT_GRANTED,
					"Engine '" + engineId + "' may not " + actionType + " on " + platformName, null);
		}
		Availability availability = platform.availabilityAt(now);
		PlatformStatus status = availability.status();
		if (status == PlatformStatus.DISABLED) {
			return Decision.deny(DecisionReason.PLATFORM_DISABLED, withNote("Platform is disabled", availability),
					status);
		}
		if (status == PlatformStatus.MAINTENANCE && availability.retryAfter() != null) {
			return Decision.denyUntil(DecisionReason.PLATFORM_MAINTENANCE,
					withNote("Platform is in scheduled maintenance until " + availability.retryAfter(), availability),
					status, availability.retryAfter());
		}
		if (status == PlatformStatus.MAINTENANCE) {
			return Decision.deny(DecisionReason.PLATFORM_MAINTENANCE,
					withNote("Platform is in maintenance", availability), status);
		}
		for (String flag : FeatureFlags.killSwitchesFor(engineId, platformName, actionType)) {
			if (Boolean.FALSE.equals(flags.apply(flag).orElse(Boolean.TRUE))) {
				return Decision.denyByFlag(flag, status);
			}
		}
		String message = (status == PlatformStatus.DEGRADED) ? withNote("Allowed; platform is degraded", availability)
				: "Allowed";
		return Decision.allow(scopes, status, message);
	}

	private static String withNote(String message, Availability availability) {
		String note = availability.message();
		return (note == null || note.isBlank()) ? message : message + ": " + note;
	}

}
