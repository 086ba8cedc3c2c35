package io.puraifi.enginecontrol.platform;

import java.time.Instant;

/**
 * Whether a platform can be used at an instant, after its operator-set status and its
 * maintenance windows are combined.
 *
 * @param status the effective status
 * @param message why, if anyone said
 * @param retryAfter when a scheduled maintenance ends, or null when the status has no
 * known end
 * @param window the maintenance window in effect, or null
 */
public record Availability(PlatformStatus status, String message, Instant retryAfter, MaintenanceWindow window) {
}
