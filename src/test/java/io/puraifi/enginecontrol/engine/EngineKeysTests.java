package io.puraifi.enginecontrol.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class EngineKeysTests {

	private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

	@Test
	void generateThenPrefixedBase62KeyOfFixedLength() {
		String key = EngineKeys.generate();
		// ec_ + 43 random base62 characters (256 bits) + 6 checksum characters
		assertThat(key).startsWith("ec_").hasSize(52).matches("ec_[0-9A-Za-z]{49}");
		assertThat(EngineKeys.LENGTH).isEqualTo(52);
		assertThat(EngineKeys.isWellFormed(key)).isTrue();
	}

	@Test
	void generateManyThenAllDistinct() {
		Set<String> keys = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			keys.add(EngineKeys.generate());
		}
		assertThat(keys).hasSize(10_000);
	}

	@Test
	void generateManyThenEveryBase62CharacterAppears() {
		Set<Character> seen = new HashSet<>();
		for (int i = 0; i < 1_000; i++) {
			for (char c : EngineKeys.generate().substring(3, 46).toCharArray()) {
				seen.add(c);
			}
		}
		assertThat(seen).hasSize(62);
	}

	@Test
	void isWellFormedWhenAnyCharacterChangedThenFalse() {
		String key = EngineKeys.generate();
		for (int i = 3; i < key.length(); i++) {
			char original = key.charAt(i);
			char replacement = BASE62.charAt((BASE62.indexOf(original) + 1) % BASE62.length());
			String changed = key.substring(0, i) + replacement + key.substring(i + 1);
			assertThat(EngineKeys.isWellFormed(changed)).as("key with position %d changed", i).isFalse();
		}
	}

	@Test
	void isWellFormedWhenTwoCharactersSwappedThenFalse() {
		String key = "ec_" + "A".repeat(20) + "B" + "C" + "D".repeat(21);
		String valid = withChecksumOf(key);
		assertThat(EngineKeys.isWellFormed(valid)).isTrue();
		String swapped = valid.substring(0, 23) + "CB" + valid.substring(25);
		assertThat(EngineKeys.isWellFormed(swapped)).isFalse();
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "ec_", "ec_abc", "not-a-key" })
	void isWellFormedWhenMissingOrShortThenFalse(String candidate) {
		assertThat(EngineKeys.isWellFormed(candidate)).isFalse();
	}

	@Test
	void isWellFormedWhenWrongPrefixThenFalse() {
		String key = EngineKeys.generate();
		assertThat(EngineKeys.isWellFormed("gh_" + key.substring(3))).isFalse();
		assertThat(EngineKeys.isWellFormed("EC_" + key.substring(3))).isFalse();
	}

	@Test
	void isWellFormedWhenTooLongThenFalse() {
		assertThat(EngineKeys.isWellFormed(EngineKeys.generate() + "0")).isFalse();
	}

	@Test
	void isWellFormedWhenCharacterOutsideBase62ThenFalse() {
		String key = EngineKeys.generate();
		assertThat(EngineKeys.isWellFormed(key.substring(0, 10) + "-" + key.substring(11))).isFalse();
	}

	@Test
	void hashThenSha256AsLowerCaseHex() {
		// FIPS 180-2 test vector
		assertThat(EngineKeys.hash("abc"))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		String key = EngineKeys.generate();
		assertThat(EngineKeys.hash(key)).matches("[0-9a-f]{64}").isEqualTo(EngineKeys.hash(key)).doesNotContain(key);
	}

	@Test
	void hashFromManyThreadsAtOnceThenEachIsTheSha256OfItsKey() throws Exception {
		List<String> keys = IntStream.range(0, 2_000).mapToObj((i) -> "key-" + i).toList();
		Map<String, String> expected = new HashMap<>();
		for (String key : keys) {
			expected.put(key, HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8))));
		}
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				results.add(threads
					.submit(() -> keys.stream().allMatch((key) -> EngineKeys.hash(key).equals(expected.get(key)))));
			}
			for (Future<Boolean> result : results) {
				assertThat(result.get()).isTrue();
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void hashWhenKeysDifferThenHashesDiffer() {
		assertThat(EngineKeys.hash(EngineKeys.generate())).isNotEqualTo(EngineKeys.hash(EngineKeys.generate()));
	}

	/**
	 * A well-formed key for a chosen random part, its checksum computed as the
	 * {@link EngineKeys} Javadoc describes (base62 CRC32, 6 characters).
	 */
	private static String withChecksumOf(String prefixAndRandom) {
		java.util.zip.CRC32 crc = new java.util.zip.CRC32();
		crc.update(prefixAndRandom.substring(3).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		long value = crc.getValue();
		char[] digits = new char[6];
		for (int i = 5; i >= 0; i--) {
			digits[i] = BASE62.charAt((int) (value % 62));
			value /= 62;
		}
		return prefixAndRandom + new String(digits);
	}

	@Test
	void generateEnrollmentTokenThenPrefixedChecksummedAndDistinctFromKeys() {
		String token = EngineKeys.generateEnrollmentToken();
		assertThat(token).startsWith("ecenr_").hasSize(55).matches("ecenr_[0-9A-Za-z]{49}");
		assertThat(EngineKeys.isWellFormedEnrollmentToken(token)).isTrue();
		assertThat(EngineKeys.isWellFormed(token)).isFalse();
		assertThat(EngineKeys.isWellFormedEnrollmentToken(EngineKeys.generate())).isFalse();
		assertThat(EngineKeys.generateEnrollmentToken()).isNotEqualTo(token);
	}

	@Test
	void isWellFormedEnrollmentTokenWhenAnyCharacterChangedThenFalse() {
		String token = EngineKeys.generateEnrollmentToken();
		for (int i = 6; i < token.length(); i++) {
			char original = token.charAt(i);
			char replacement = BASE62.charAt((BASE62.indexOf(original) + 1) % BASE62.length());
			String changed = token.substring(0, i) + replacement + token.substring(i + 1);
			assertThat(EngineKeys.isWellFormedEnrollmentToken(changed)).as("position %d changed", i).isFalse();
		}
		assertThat(EngineKeys.isWellFormedEnrollmentToken(null)).isFalse();
		assertThat(EngineKeys.isWellFormedEnrollmentToken("ecenr_")).isFalse();
		assertThat(EngineKeys.isWellFormedEnrollmentToken("ec_" + token.substring(6))).isFalse();
	}

}
