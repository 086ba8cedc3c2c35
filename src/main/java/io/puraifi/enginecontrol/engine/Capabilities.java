package io.puraifi.enginecontrol.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Set arithmetic on capability maps (platform to actions), for patches and enrollment
 * ceilings. Pure: no I/O, no Spring. Every result is sorted and leaves out platforms
 * without actions.
 */
final class Capabilities {

	private Capabilities() {
	}

	/**
	 * Splits what an enrolling engine asked for into what its token's ceiling allows and
	 * what it does not.
	 * @param requested platform to actions asked for
	 * @param ceiling platform to actions the token allows at most
	 * @return the granted and the not granted capabilities
	 */
	static Split intersect(Map<String, ? extends Collection<String>> requested,
			Map<String, ? extends Collection<String>> ceiling) {
		TreeMap<String, SortedSet<String>> granted = new TreeMap<>();
		TreeMap<String, SortedSet<String>> notGranted = new TreeMap<>();
		requested.forEach((platform, actions) -> {
			Collection<String> allowed = ceiling.containsKey(platform) ? ceiling.get(platform) : Set.of();
			for (String action : actions) {
				(allowed.contains(action) ? granted : notGranted).computeIfAbsent(platform, (p) -> new TreeSet<>())
					.add(action);
			}
		});
		return new Split(Engine.sorted(granted), Engine.sorted(notGranted));
	}

	/**
	 * Applies a patch: the current capabilities, plus those added, minus those removed.
	 * Removing what is not held is not an error.
	 * @param current the engine's capabilities
	 * @param add capabilities to grant, or null
	 * @param remove capabilities to take away, or null
	 * @return the result
	 * @throws IllegalArgumentException when one capability is both added and removed
	 */
	static SortedMap<String, SortedSet<String>> patch(Map<String, ? extends Collection<String>> current,
			Map<String, ? extends Collection<String>> add, Map<String, ? extends Collection<String>> remove) {
		List<String> both = overlap(add, remove);
		if (!both.isEmpty()) {
			throw new IllegalArgumentException("Both added and removed: " + String.join(", ", both));
		}
		TreeMap<String, SortedSet<String>> result = new TreeMap<>();
		current.forEach((platform, actions) -> result.put(platform, new TreeSet<>(actions)));
		if (add != null) {
			add.forEach(
					(platform, actions) -> result.computeIfAbsent(platform, (p) -> new TreeSet<>()).addAll(actions));
		}
		if (remove != null) {
			remove.forEach((platform, actions) -> {
				SortedSet<String> held = result.get(platform);
				if (held != null) {
					held.removeAll(actions);
				}
			});
		}
		result.values().removeIf(Set::isEmpty);
		return Engine.sorted(result);
	}

	private static List<String> overlap(Map<String, ? extends Collection<String>> add,
			Map<String, ? extends Collection<String>> remove) {
		List<String> both = new ArrayList<>();
		if (add == null || remove == null) {
			return both;
		}
		new TreeMap<>(add).forEach((platform, actions) -> {
			Collection<String> removed = remove.containsKey(platform) ? remove.get(platform) : Set.of();
			new TreeSet<>(actions).stream()
				.filter(removed::contains)
				.forEach((action) -> both.add(platform + "." + action));
		});
		return both;
	}

	/**
	 * Requested capabilities split by a ceiling.
	 *
	 * @param granted inside the ceiling
	 * @param notGranted outside it
	 */
	record Split(SortedMap<String, SortedSet<String>> granted, SortedMap<String, SortedSet<String>> notGranted) {
	}

}
