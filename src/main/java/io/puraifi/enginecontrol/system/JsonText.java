package io.puraifi.enginecontrol.system;

import java.nio.charset.StandardCharsets;

import tools.jackson.databind.json.JsonMapper;

/**
 * JSON text to store in a column and send back later as it is (audit before and after,
 * event attributes). Written as UTF-8 bytes, not as a {@code String}: JSON may carry half
 * a surrogate pair ({@code "\ud800"}), which Jackson escapes when it writes bytes but
 * keeps as a lone character when it writes a {@code String}, and no UTF-8 writer can send
 * that back: every later read of it failed with 500.
 */
public final class JsonText {

	private JsonText() {
	}

	/**
	 * The value as JSON text in which every character is valid Unicode.
	 * @param jsonMapper the mapper
	 * @param value the value
	 * @return the JSON text
	 */
	public static String of(JsonMapper jsonMapper, Object value) {
		return new String(jsonMapper.writeValueAsBytes(value), StandardCharsets.UTF_8);
	}

}
