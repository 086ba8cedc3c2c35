package io.puraifi.enginecontrol.engine;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;
import io.puraifi.enginecontrol.system.Names;

/**
 * The opaque cursor of the engine list: the last engine id of a page, base64url encoded.
 * Callers must not build or parse it; only its round trip is promised.
 */
final class EngineCursor {

	private EngineCursor() {
	}

	static String encode(String lastEngineId) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(lastEngineId.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The engine id a cursor continues after.
	 * @param cursor a cursor from {@code next_cursor}
	 * @return the engine id
	 * @throws ProblemException 400 when the cursor is not one this service issued
	 */
	static String decode(String cursor) {
		try {
			String engineId = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			if (Names.isEngineId(engineId)) {
				return engineId;
			}
		}
		catch (IllegalArgumentException ex) {
			// not base64: answered below
		}
		throw new ProblemException(ProblemType.INVALID_REQUEST, "cursor is not a cursor this service issued");
	}

}
