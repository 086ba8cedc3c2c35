package io.puraifi.enginecontrol.engine;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.github.benmanes.caffeine.cache.Interner;

/**
 * A registered engine and what it may do.
 *
 * @param engineId unique lower-case name
 * @param description free text for operators
 * @param role engine or admin
 * @param status active, suspended or revoked
 * @param capabilities platform to the actions granted on it
 * @param createdAt when it was registered
 * @param updatedAt when it last changed
 */
public record Engine(String engineId, String description, EngineRole role, EngineStatus status,
		SortedMap<String, SortedSet<String>> capabilities, Instant createdAt, Instant updatedAt) {

	private static final Interner<SortedSet<String>> ACTION_SETS = Interner.newWeakInterner();

	private static final Interner<SortedMap<String, SortedSet<String>>> CAPABILITY_MAPS = Interner.newWeakInterner();

	public Engine {
		capabilities = sorted(capabilities);
	}

	/**
	 * Whether the engine holds a grant for the action on the platform.
	 * @param platform the platform name
	 * @param actionType the action name
	 * @return true when granted
	 */
	public boolean isGranted(String platform, String actionType) {
		Set<String> actions = this.capabilities.get(platform);
		return actions != null && actions.contains(actionType);
	}

	@JsonIgnore
	public boolean isActive() {
		return this.status == EngineStatus.ACTIVE;
	}

	@JsonIgnore
	public boolean isRevoked() {
		return this.status == EngineStatus.REVOKED;
	}

	Engine withStatus(EngineStatus newStatus, Instant now) {
		return new Engine(this.engineId, this.description, this.role, newStatus, this.capabilities, this.createdAt,
				now);
	}

	Engine withCapabilities(Map<String, ? extends Collection<String>> newCapabilities, Instant now) {
		return new Engine(this.engineId, this.description, this.role, this.status, sorted(newCapabilities),
				this.createdAt, now);
	}

	/**
	 * A sorted, unmodifiable copy of a capability map. Engines of one kind hold the same
	 * capabilities, so equal action sets and equal maps are kept once, shared by every
	 * engine that has them (weakly: one no engine holds any more is collected); with
	 * 100,000 cached engines this is most of the registry's heap (see BENCHMARKS.md).
	 * @param capabilities platform to actions
	 * @return the sorted copy
	 */
	public static SortedMap<String, SortedSet<String>> sorted(Map<String, ? extends Collection<String>> capabilities) {
		TreeMap<String, SortedSet<String>> copy = new TreeMap<>();
		if (capabilities != null) {
			capabilities.forEach((platform, actions) -> copy.put(platform,
					ACTION_SETS.intern(Collections.unmodifiableSortedSet(new TreeSet<>(actions)))));
		}
		return CAPABILITY_MAPS.intern(Collections.unmodifiableSortedMap(copy));
	}

}
