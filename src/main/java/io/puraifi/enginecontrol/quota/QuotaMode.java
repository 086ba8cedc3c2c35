package io.puraifi.enginecontrol.quota;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a rule denies checks over its limits or only reports that it would have.
 */
public enum QuotaMode {

	/**
	 * A check over a limit is denied with {@code QUOTA_EXCEEDED}.
	 */
	ENFORCE,

	/**
	 * A check over a limit is answered as without the rule; the rule only reports it.
	 */
	SHADOW;

	/**
	 * The mode as written in JSON and in the store.
	 * @return {@code enforce} or {@code shadow}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The mode written as {@code enforce} or {@code shadow}.
	 * @param value the written mode
	 * @return the mode, or empty when the value is neither
	 */
	public static Optional<QuotaMode> of(String value) {
		for (QuotaMode mode : values()) {
			if (mode.value().equals(value)) {
				return Optional.of(mode);
			}
		}
		return Optional.empty();
	}

}
