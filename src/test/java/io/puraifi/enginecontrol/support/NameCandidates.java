package io.puraifi.enginecontrol.support;

import java.util.ArrayList;
import java.util.List;

/**
 * Strings to hold a hand-written name check against its pattern in {@code system/Names}:
 * every string of up to three characters over an alphabet that has one character of each
 * class the rules treat differently, and strings around each length limit, valid and with
 * one wrong character at the start, in the middle or at the end.
 */
public final class NameCandidates {

	/**
	 * Lower case at both ends, upper case, digits at both ends, each punctuation,
	 * non-ASCII, space, a control character.
	 */
	private static final String ALPHABET = "azA09_-.é \n/";

	private NameCandidates() {
	}

	/**
	 * The candidates, in a fixed order.
	 * @return about 2,000 strings
	 */
	public static List<String> all() {
		List<String> candidates = new ArrayList<>();
		candidates.add("");
		List<String> previous = List.of("");
		for (int length = 1; length <= 3; length++) {
			List<String> next = new ArrayList<>();
			for (String prefix : previous) {
				for (char c : ALPHABET.toCharArray()) {
					next.add(prefix + c);
				}
			}
			candidates.addAll(next);
			previous = next;
		}
		for (int length : new int[] { 4, 62, 63, 64, 65, 66, 127, 128, 129, 130 }) {
			String valid = "a" + "b0_".repeat(length).substring(0, length - 1);
			candidates.add(valid);
			candidates.add("0" + valid.substring(1));
			for (char c : ALPHABET.toCharArray()) {
				candidates.add(valid.substring(0, length - 1) + c);
				candidates.add(valid.substring(0, length / 2) + c + valid.substring(length / 2 + 1));
			}
		}
		return candidates;
	}

}
