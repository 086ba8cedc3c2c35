package io.puraifi.enginecontrol.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * Engine keys: {@code ec_}, 43 random base62 characters (256 bits from
 * {@link SecureRandom}) and a 6-character base62 CRC32 of them, so that a leaked key can
 * be recognised offline without asking the server. Only the SHA-256 of a key is ever
 * stored. Enrollment tokens have the same shape with the prefix {@code ecenr_}.
 */
public final class EngineKeys {

	/** Every key starts with this. */
	public static final String PREFIX = "ec_";

	/** Every enrollment token starts with this. */
	public static final String ENROLLMENT_PREFIX = "ecenr_";

	private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

	private static final int RANDOM_LENGTH = 43;

	private static final int CHECKSUM_LENGTH = 6;

	/** Length of every generated key. */
	public static final int LENGTH = PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;

	private static final SecureRandom RANDOM = new SecureRandom();

	// Only ever cloned, never updated: its state stays that of a fresh digest.
	private static final MessageDigest SHA_256 = sha256();

	private EngineKeys() {
	}

	/**
	 * A new random key.
	 * @return the key, to be shown once and then only stored as its hash
	 */
	public static String generate() {
		return generate(PREFIX);
	}

	/**
	 * A new random enrollment token.
	 * @return the token, to be shown once and then only stored as its hash
	 */
	public static String generateEnrollmentToken() {
		return generate(ENROLLMENT_PREFIX);
	}

	/**
	 * Whether a string has the shape and checksum of a generated enrollment token.
	 * @param token the candidate
	 * @return true when it looks like a token this service generated
	 */
	public static boolean isWellFormedEnrollmentToken(String token) {
		return isWellFormed(ENROLLMENT_PREFIX, token);
	}

	private static String generate(String prefix) {
		StringBuilder key = new StringBuilder(prefix.length() + RANDOM_LENGTH + CHECKSUM_LENGTH).append(prefix);
		for (int i = 0; i < RANDOM_LENGTH; i++) {
			key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		key.append(checksum(key.substring(prefix.length())));
		return key.toString();
	}

	/**
	 * Whether a string has the shape and checksum of a generated key.
	 * @param key the candidate
	 * @return true when it looks like a key this service generated
	 */
	public static boolean isWellFormed(String key) {
		return isWellFormed(PREFIX, key);
	}

	private static boolean isWellFormed(String prefix, String key) {
		int length = prefix.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;
		if (key == null || key.length() != length || !key.startsWith(prefix)) {
			return false;
		}
		for (int i = prefix.length(); i < length; i++) {
			if (ALPHABET.indexOf(key.charAt(i)) < 0) {
				return false;
			}
		}
		String random = key.substring(prefix.length(), prefix.length() + RANDOM_LENGTH);
		return checksum(random).equals(key.substring(prefix.length() + RANDOM_LENGTH));
	}

	/**
	 * The stored form of a key.
	 * @param key the key
	 * @return its SHA-256 as 64 lower-case hex digits
	 */
	public static String hash(String key) {
		return HexFormat.of().formatHex(digest(key));
	}

	/**
	 * The SHA-256 of a key as bytes, for constant-time comparison.
	 * @param key the key
	 * @return 32 bytes
	 */
	static byte[] digest(String key) {
		return newSha256().digest(key.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A fresh SHA-256 digest, cloned from one made at start: every authenticated request
	 * hashes the key it presents, and {@code MessageDigest.getInstance} looks the
	 * algorithm up among the providers on each call, a clone only copies the state. Never
	 * shared: a digest is not thread-safe.
	 */
	private static MessageDigest newSha256() {
		try {
			return (MessageDigest) SHA_256.clone();
		}
		catch (CloneNotSupportedException ex) {
			return sha256();
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	private static String checksum(String random) {
		CRC32 crc = new CRC32();
		crc.update(random.getBytes(StandardCharsets.US_ASCII));
		long value = crc.getValue();
		char[] digits = new char[CHECKSUM_LENGTH];
		for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
			digits[i] = ALPHABET.charAt((int) (value % ALPHABET.length()));
			value /= ALPHABET.length();
		}
		return new String(digits);
	}

}
