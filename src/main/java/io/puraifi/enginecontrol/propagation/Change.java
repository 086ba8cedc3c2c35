package io.puraifi.enginecontrol.propagation;

/**
 * One committed change: the revision it created, what kind of thing changed and its key.
 *
 * @param revision the store revision this change created
 * @param kind what changed
 * @param key which one (engine id, platform name, flag name)
 */
public record Change(long revision, ChangeKind kind, String key) {

	/**
	 * The notification payload: {@code revision:kind:key}.
	 */
	String toPayload() {
		return this.revision + ":" + this.kind.name() + ":" + this.key;
	}

	/**
	 * Reads a notification payload.
	 * @param payload {@code revision:kind:key}
	 * @return the change
	 * @throws IllegalArgumentException if the payload is not one
	 */
	static Change fromPayload(String payload) {
		String[] parts = payload.split(":", 3);
		if (parts.length != 3) {
			throw new IllegalArgumentException("Not a change notification: " + payload);
		}
		return new Change(Long.parseLong(parts[0]), ChangeKind.valueOf(parts[1]), parts[2]);
	}

}
