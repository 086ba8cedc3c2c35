package io.puraifi.enginecontrol.platform;

import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A scheduled maintenance window of a platform. It is in effect while
 * {@code startsAt <= now < endsAt} and it is not cancelled.
 *
 * @param id the window's id
 * @param platform the platform it applies to
 * @param startsAt when it starts (inclusive)
 * @param endsAt when it ends (exclusive); checks say to retry then
 * @param message why, shown to engines
 * @param createdAt when an operator scheduled it
 * @param cancelledAt when an operator cancelled it, or null
 */
public record MaintenanceWindow(String id, String platform, Instant startsAt, Instant endsAt, String message,
		Instant createdAt, Instant cancelledAt) {

	/**
	 * Whether the window is in effect at an instant.
	 * @param now the instant
	 * @return true when not cancelled and {@code startsAt <= now < endsAt}
	 */
	public boolean isActiveAt(Instant now) {
		return this.cancelledAt == null && !now.isBefore(this.startsAt) && now.isBefore(this.endsAt);
	}

	/**
	 * The window's state at an instant.
	 * @param now the instant
	 * @return cancelled, ended, active or scheduled
	 */
	public State stateAt(Instant now) {
		if (this.cancelledAt != null) {
			return State.CANCELLED;
		}
		if (!now.isBefore(this.endsAt)) {
			return State.ENDED;
		}
		return now.isBefore(this.startsAt) ? State.SCHEDULED : State.ACTIVE;
	}

	/**
	 * Where a window stands relative to now.
	 */
	public enum State {

		SCHEDULED, ACTIVE, ENDED, CANCELLED;

		@JsonValue
		public String value() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
