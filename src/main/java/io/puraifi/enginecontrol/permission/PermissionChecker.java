package io.puraifi.enginecontrol.permission;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.puraifi.enginecontrol.engine.Engine;
import io.puraifi.enginecontrol.platform.Platform;
import io.puraifi.enginecontrol.platform.PlatformStatus;
import io.puraifi.enginecontrol.settings.FeatureFlags;

/**
 * The permission decision, as a pure function of what is known about the engine, the
 * platform and the kill switches. No I/O, no Spring: every case is a unit test.
 * <p>
 * The order of the rules matters and is part of the contract: who the engine is, what the
 * catalog knows, what the engine was granted, then whether the platform can be used now.
 * An engine without a grant learns nothing about the platform's availability.
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
	 * @return the decision
	 */
	static Decision decide(String engineId, Engine engine, String platformName, Platform platform, String actionType,
			Function<String, Optional<Boolean>> flags) {
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
		PlatformStatus status = platform.status();
		if (status == PlatformStatus.DISABLED) {
			return Decision.deny(DecisionReason.PLATFORM_DISABLED, withNote("Platform is disabled", platform), status);
		}
		if (status == PlatformStatus.MAINTENANCE) {
			return Decision.deny(DecisionReason.PLATFORM_MAINTENANCE, withNote("Platform is in maintenance", platform),
					status);
		}
		for (String flag : List.of(FeatureFlags.platformFlag(platformName),
				FeatureFlags.actionFlag(platformName, actionType))) {
			if (Boolean.FALSE.equals(flags.apply(flag).orElse(Boolean.TRUE))) {
				return Decision.denyByFlag(flag, status);
			}
		}
		String message = (status == PlatformStatus.DEGRADED) ? withNote("Allowed; platform is degraded", platform)
				: "Allowed";
		return Decision.allow(scopes, status, message);
	}

	private static String withNote(String message, Platform platform) {
		String note = platform.statusMessage();
		return (note == null || note.isBlank()) ? message : message + ": " + note;
	}

}
