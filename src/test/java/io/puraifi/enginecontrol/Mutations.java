package io.puraifi.enginecontrol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generators of bad input for {@link BadInputPropertyIntegrationTests}: each takes a
 * seeded random source, so a failing case is reproduced from its seed.
 */
final class Mutations {

	static final List<String> HEADERS = List.of("X-Engine-ID", "X-Engine-Key", "X-Request-ID", "API-Version",
			"X-Enrollment-Token", "Content-Type", "Accept");

	private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=UTF-8",
			"application/json; charset=ISO-8859-1", "application/json; charset=nonsense", "text/plain",
			"application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
			"application/problem+json", "*/*", "application/", ";;;", "application/json;;;charset",
			"application/json; charset=\"", "\u00e9/\u00e9", "\"a/b", ",,,", "*/*;q=abc", "text/html",
			"application/json;q=0");

	/** Values that are valid JSON of every type, and some that are barely JSON. */
	private static final List<String> VALUES = List.of("null", "true", "false", "0", "-1", "1.5e308", "1e999999",
			"-0.0", "123456789012345678901234567890", "9223372036854775808", "\"\"", "\"x\"", "[]", "{}", "[null]",
			"{\"a\":1}", "\"2026-13-45T99:99:99Z\"", "\"PT-1S\"", "\"P99999999D\"", "NaN", "Infinity", "'single'",
			"0x10", "\"\\ud800\"", "\"\\u0000\"");

	private Mutations() {
	}

	/**
	 * A valid body with one to three mutations, or now and then something that is no body
	 * at all.
	 */
	static byte[] body(SplittableRandom random, String valid) {
		if (random.nextInt(20) == 0) {
			String[] whole = { "", " ", "null", "[]", "\"string\"", "42", "{", "}", "{}", "[{}]", "\u0000",
					valid + valid, valid + "garbage" };
			return whole[random.nextInt(whole.length)].getBytes(StandardCharsets.UTF_8);
		}
		byte[] body = valid.getBytes(StandardCharsets.UTF_8);
		int mutations = 1 + random.nextInt(3);
		for (int i = 0; i < mutations; i++) {
			body = mutate(random, body);
		}
		return body;
	}

	private static byte[] mutate(SplittableRandom random, byte[] body) {
		String text = new String(body, StandardCharsets.ISO_8859_1);
		switch (random.nextInt(11)) {
			case 0: // truncation
				return slice(body, 0, random.nextInt(body.length + 1));
			case 1: { // byte flips
				byte[] copy = body.clone();
				int flips = 1 + random.nextInt(3);
				for (int i = 0; i < flips && copy.length > 0; i++) {
					copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
				}
				return copy;
			}
			case 2: { // deep nesting of a value
				int depth = pick(random, 20, 40, 100, 1_000, 10_000);
				boolean arrays = random.nextBoolean();
				String nested = (arrays ? "[" : "{\"n\":").repeat(depth) + "1" + (arrays ? "]" : "}").repeat(depth);
				return replaceValue(random, text, nested);
			}
			case 3: { // a huge string
				int length = pick(random, 600, 5_000, 20_000, 70_000, 300_000);
				return replaceValue(random, text, "\"" + "a".repeat(length) + "\"");
			}
			case 4: // a value of the wrong type
				return replaceValue(random, text, VALUES.get(random.nextInt(VALUES.size())));
			case 5: { // an unknown field
				int brace = text.indexOf('{');
				if (brace < 0) {
					return body;
				}
				return (text.substring(0, brace + 1) + "\"zz_unknown_" + random.nextInt(100) + "\":1,"
						+ text.substring(brace + 1))
					.getBytes(StandardCharsets.ISO_8859_1);
			}
			case 6: { // invalid UTF-8 inside a string or anywhere
				byte[][] invalid = { { (byte) 0xC3, 0x28 }, { (byte) 0xFF }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
						{ (byte) 0xF0, (byte) 0x28, (byte) 0x8C, (byte) 0x28 }, { (byte) 0xC0, (byte) 0xAF },
						{ (byte) 0xE2, (byte) 0x82 } };
				return insert(random, body, invalid[random.nextInt(invalid.length)]);
			}
			case 7: { // raw control characters
				byte[] control = new byte[1 + random.nextInt(3)];
				for (int i = 0; i < control.length; i++) {
					control[i] = (byte) ((random.nextInt(9) == 0) ? 0x7F : random.nextInt(0x20));
				}
				return insert(random, body, control);
			}
			case 8: // a duplicated field
				return text.replaceFirst("\\{\"([a-z_]+)\":", "{\"$1\":null,\"$1\":")
					.getBytes(StandardCharsets.ISO_8859_1);
			case 9: { // a long number
				return replaceValue(random, text, "1" + "0".repeat(pick(random, 20, 40, 2_000)));
			}
			default: { // a long field name
				int brace = text.indexOf('{');
				if (brace < 0) {
					return body;
				}
				return (text.substring(0, brace + 1) + "\"" + "k".repeat(pick(random, 100, 2_000, 60_000)) + "\":1,"
						+ text.substring(brace + 1))
					.getBytes(StandardCharsets.ISO_8859_1);
			}
		}
	}

	/** Replaces the value after a random {@code ":"} (or the whole body) with another. */
	private static byte[] replaceValue(SplittableRandom random, String text, String value) {
		List<Integer> colons = new java.util.ArrayList<>();
		for (int i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
			colons.add(i);
		}
		if (colons.isEmpty()) {
			return value.getBytes(StandardCharsets.ISO_8859_1);
		}
		int colon = colons.get(random.nextInt(colons.size()));
		int end = valueEnd(text, colon + 1);
		return (text.substring(0, colon + 1) + value + text.substring(end)).getBytes(StandardCharsets.ISO_8859_1);
	}

	/** Where the JSON value starting at {@code start} ends, roughly. */
	private static int valueEnd(String text, int start) {
		int depth = 0;
		boolean inString = false;
		for (int i = start; i < text.length(); i++) {
			char c = text.charAt(i);
			if (inString) {
				if (c == '\\') {
					i++;
				}
				else if (c == '"') {
					inString = false;
					if (depth == 0) {
						return i + 1;
					}
				}
				continue;
			}
			if (c == '"') {
				inString = true;
			}
			else if (c == '{' || c == '[') {
				depth++;
			}
			else if (c == '}' || c == ']') {
				if (depth == 0) {
					return i;
				}
				depth--;
				if (depth == 0) {
					return i + 1;
				}
			}
			else if (c == ',' && depth == 0) {
				return i;
			}
		}
		return text.length();
	}

	/**
	 * A header value: random length and characters, control characters and Latin-1
	 * included.
	 */
	static byte[] headerValue(SplittableRandom random) {
		int length = pick(random, 0, 1, 10, 64, 65, 128, 129, 256, 257, 1_000, 7_000, 9_000, 20_000);
		ByteArrayOutputStream value = new ByteArrayOutputStream();
		int alphabet = random.nextInt(4);
		for (int i = 0; i < length; i++) {
			int b = switch (alphabet) {
				case 0 -> "abcdefghijklmnopqrstuvwxyz0123456789-_".charAt(random.nextInt(38));
				case 1 -> 0x20 + random.nextInt(0x5F);
				case 2 -> 0x80 + random.nextInt(0x80);
				default -> (random.nextInt(10) == 0) ? random.nextInt(0x20) : 0x20 + random.nextInt(0xE0);
			};
			// CR and LF end the header: they belong to the request, not to the value.
			value.write((b == '\r' || b == '\n') ? ' ' : b);
		}
		if (random.nextInt(6) == 0) {
			List<String> known = List.of("1", "1.0", "2", "-1", "admin", "ec_" + "A".repeat(49),
					"ecenr_" + "B".repeat(49), "application/json");
			return known.get(random.nextInt(known.size())).getBytes(StandardCharsets.ISO_8859_1);
		}
		if (random.nextInt(6) == 0) {
			return CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size())).getBytes(StandardCharsets.ISO_8859_1);
		}
		return value.toByteArray();
	}

	/** A content type, or none. */
	static String contentType(SplittableRandom random) {
		int choice = random.nextInt(10);
		if (choice < 6) {
			return "application/json";
		}
		if (choice == 6) {
			return null;
		}
		return CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()));
	}

	/** A path or query mangled: dot segments, encodings, long or odd parameters. */
	static String path(SplittableRandom random, String valid) {
		String[] mangled = { valid + "/..", valid.replaceFirst("/", "//"), valid + "/./", valid + ";x=1", valid + "%00",
				valid + "%2e%2e", valid + "%2F..", valid + "/%", valid + "%zz", valid + "%c3%28",
				valid + "/" + "a".repeat(pick(random, 100, 3_000, 9_000)), valid + "?limit=-1",
				valid + "?limit=99999999999", valid + "?limit=abc", valid + "?cursor=" + "Z".repeat(300),
				valid + "?cursor=%ff%fe", valid + "?status=nope", valid + "?include_past=maybe",
				valid + "?engine_id=" + "x".repeat(500), valid + "?a=1&a=2&a=3", valid + "?=", valid + "?&&&",
				valid + "#frag", valid.toUpperCase(Locale.ROOT), valid.replace("mailer", "MAILER"),
				valid.replace("gmail", "g%6dail"), valid.replace("gmail", "x".repeat(200)), valid + "\\..\\",
				valid + "/\u00e9", valid.replace("/", "/./") };
		return mangled[random.nextInt(mangled.length)];
	}

	private static byte[] insert(SplittableRandom random, byte[] body, byte[] bytes) {
		int at = random.nextInt(body.length + 1);
		byte[] result = new byte[body.length + bytes.length];
		System.arraycopy(body, 0, result, 0, at);
		System.arraycopy(bytes, 0, result, at, bytes.length);
		System.arraycopy(body, at, result, at + bytes.length, body.length - at);
		return result;
	}

	private static byte[] slice(byte[] body, int from, int to) {
		return java.util.Arrays.copyOfRange(body, from, to);
	}

	private static int pick(SplittableRandom random, int... choices) {
		return choices[random.nextInt(choices.length)];
	}

}
