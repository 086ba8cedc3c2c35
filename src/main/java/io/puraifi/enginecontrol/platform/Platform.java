package io.puraifi.enginecontrol.platform;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;

/**
 * A platform of the catalog with its runtime status.
 * <p>
 * Its status is what an operator set; {@link #availabilityAt(Instant)} combines it with
 * the maintenance windows at a given instant: {@code disabled} beats everything, an
 * operator-set {@code maintenance} beats a window (it has no known end), and a window in
 * effect beats {@code available} and {@code degraded}. Because windows are evaluated
 * against the instant of each decision, a cached platform never goes stale when a window
 * starts or ends.
 *
 * @param name the platform's id, as engines name it
 * @param displayName a human name
 * @param version the platform API version engines should use
 * @param status the status an operator set
 * @param statusMessage why it has that status, if anyone said
 * @param actions action name to the scopes it requires
 * @param updatedAt when definition or status last changed
 * @param maintenanceWindows windows not cancelled and not ended when the platform was
 * read, by start
 */
public record Platform(String name, String displayName, String version, PlatformStatus status, String statusMessage,
		SortedMap<String, List<String>> actions, Instant updatedAt, List<MaintenanceWindow> maintenanceWindows) {

	public Platform {
		maintenanceWindows = List.copyOf(maintenanceWindows);
	}

	/**
	 * A platform without maintenance windows.
	 */
	public Platform(String name, String displayName, String version, PlatformStatus status, String statusMessage,
			SortedMap<String, List<String>> actions, Instant updatedAt) {
		this(name, displayName, version, status, statusMessage, actions, updatedAt, List.of());
	}

	/**
	 * This platform with other maintenance windows.
	 * @param windows the windows
	 * @return a copy with those windows
	 */
	public Platform withMaintenanceWindows(List<MaintenanceWindow> windows) {
		return new Platform(this.name, this.displayName, this.version, this.status, this.statusMessage, this.actions,
				this.updatedAt, windows);
	}

	/**
	 * The scopes an action requires.
	 * @param actionType the action name
	 * @return the scopes, or null when the platform has no such action
	 */
	public List<String> requiredScopes(String actionType) {
		return this.actions.get(actionType);
	}

	/**
	 * Whether the platform can be used at an instant.
	 * @param now the instant of the decision
	 * @return the effective status, its message and, during a window, when to retry
	 */
	public Availability availabilityAt(Instant now) {
		if (this.status == PlatformStatus.DISABLED || this.status == PlatformStatus.MAINTENANCE) {
			return new Availability(this.status, this.statusMessage, null, null);
		}
		MaintenanceWindow active = this.maintenanceWindows.stream()
			.filter((window) -> window.isActiveAt(now))
			.max(Comparator.comparing(MaintenanceWindow::endsAt))
			.orElse(null);
		if (active == null) {
			return new Availability(this.status, this.statusMessage, null, null);
		}
		return new Availability(PlatformStatus.MAINTENANCE, active.message(), endOfMaintenance(active.endsAt()),
				active);
	}

	/**
	 * The window in effect at an instant, else the next one to start.
	 * @param now the instant
	 * @return the window, or null when none is in effect or scheduled
	 */
	public MaintenanceWindow currentOrNextWindow(Instant now) {
		Availability availability = availabilityAt(now);
		if (availability.window() != null) {
			return availability.window();
		}
		return this.maintenanceWindows.stream()
			.filter((window) -> window.cancelledAt() == null && window.endsAt().isAfter(now))
			.min(Comparator.comparing(MaintenanceWindow::startsAt))
			.orElse(null);
	}

	/**
	 * When maintenance that runs until {@code end} is really over: windows that start
	 * before it ends and end later extend it.
	 */
	private Instant endOfMaintenance(Instant end) {
		Instant result = end;
		boolean extended = true;
		while (extended) {
			extended = false;
			for (MaintenanceWindow window : this.maintenanceWindows) {
				if (window.cancelledAt() == null && !window.startsAt().isAfter(result)
						&& window.endsAt().isAfter(result)) {
					result = window.endsAt();
					extended = true;
				}
			}
		}
		return result;
	}

}
