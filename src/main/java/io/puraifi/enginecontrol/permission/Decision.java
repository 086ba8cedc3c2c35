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
 * @param quota the quota rule that denied the check, if one did
 * @param quotaRetryAfterSeconds for a check denied by a quota rule, the seconds until its
 * full limit's window ends, else null
 * @param quotaRemaining for an allowed check under an enforcing quota rule, the smallest
 * remaining count over the rules' limits, else null
 * @param shadow the shadow rules that would have denied the check, empty when none
 */
public record Decision(boolean allowed, DecisionReason reason, String message, List<String> requiredScopes,
		PlatformStatus platformStatus, String flag, Instant retryAfter, String quota, Long quotaRetryAfterSeconds,
		Long quotaRemaining, List<ShadowDenial> shadow) {

	Decision(boolean allowed, DecisionReason reason, String message, List<String> requiredScopes,
			PlatformStatus platformStatus, String flag, Instant retryAfter) {
		this(allowed, reason, message, requiredScopes, platformStatus, flag, retryAfter, null, null, null, List.of());
	}

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

	/**
	 * This allowed decision, denied by a quota rule instead.
	 * @param rule the rule's name
	 * @param retryAfterSeconds seconds until the full limit's window ends
	 * @return the denial
	 */
	Decision deniedByQuota(String rule, long retryAfterSeconds) {
		return new Decision(false, DecisionReason.QUOTA_EXCEEDED,
				"Quota '" + rule + "' is used up; a unit frees in " + retryAfterSeconds + "s", List.of(),
				this.platformStatus, null, null, rule, retryAfterSeconds, null, List.of());
	}

	/**
	 * This allowed decision, with what quotas and shadow rules add to it.
	 * @param remaining the smallest remaining count under the enforcing rules, or null
	 * @param shadowDenials the shadow rules that would have denied it
	 * @return the decision
	 */
	Decision allowedUnder(Long remaining, List<ShadowDenial> shadowDenials) {
		return new Decision(this.allowed, this.reason, this.message, this.requiredScopes, this.platformStatus,
				this.flag, this.retryAfter, this.quota, this.quotaRetryAfterSeconds, remaining,
				List.copyOf(shadowDenials));
	}

	/**
	 * A rule in shadow mode that would have denied a check.
	 *
	 * @param rule {@code quota:<name>} or {@code flag:<name>}
	 * @param reason what it would have denied with
	 */
	public record ShadowDenial(String rule, DecisionReason reason) {

		static ShadowDenial quota(String name) {
			return new ShadowDenial("quota:" + name, DecisionReason.QUOTA_EXCEEDED);
		}

		static ShadowDenial flag(String name) {
			return new ShadowDenial("flag:" + name, DecisionReason.FLAG_DISABLED);
		}

	}

}
