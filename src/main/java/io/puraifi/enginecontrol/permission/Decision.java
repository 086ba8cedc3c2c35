package io.puraifi.enginecontrol.permission;

import java.time.Instant;
import java.util.List;

import io.puraifi.enginecontrol.platform.PlatformStatus;

/**
 * The answer to a permission check.
 *
 * @param allowed whether the engine may perform the action now
 * @param reason why, as a stable code
 * @param message why, for humans
 * @param requiredScopes scopes the action needs when allowed, else empty
 * @param platformStatus the platform's status, when the platform is known
 * @param flag the kill switch that denied the check, if one did
 * @param retryAfter when a scheduled maintenance that denied the check ends, if one did
 */
public record Decision(boolean allowed, DecisionReason reason, String message, List<String> requiredScopes,
		PlatformStatus platformStatus, String flag, Instant retryAfter) {

	static Decision allow(List<String> requiredScopes, PlatformStatus platformStatus, String message) {
		return new Decision(true, DecisionReason.ALLOWED, message, List.copyOf(requiredScopes), platformStatus, null,
				null);
	}

	static Decision deny(DecisionReason reason, String message, PlatformStatus platformStatus) {
		return new Decision(false, reason, message, List.of(), platformStatus, null, null);
	}

	static Decision denyUntil(DecisionReason reason, String message, PlatformStatus platformStatus,
			Instant retryAfter) {
		return new Decision(false, reason, message, List.of(), platformStatus, null, retryAfter);
	}

	static Decision denyByFlag(String flag, PlatformStatus platformStatus) {
		return new Decision(false, DecisionReason.FLAG_DISABLED, "Kill switch '" + flag + "' is off", List.of(),
				platformStatus, flag, null);
	}

}
