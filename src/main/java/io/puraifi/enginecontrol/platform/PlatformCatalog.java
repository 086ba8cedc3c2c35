package io.puraifi.enginecontrol.platform;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.puraifi.enginecontrol.admin.AdminAudit;
import io.puraifi.enginecontrol.propagation.ChangeKind;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * The platform catalog, read through a bounded cache. Every write goes through this
 * class, which invalidates what it changed.
 */
@Component
public class PlatformCatalog {

	private final PlatformRepository repository;

	private final Clock clock;

	private final Changes changes;

	private final AdminAudit audit;

	private final LoadingCache<String, Platform> platforms;

	PlatformCatalog(PlatformRepository repository, Clock clock, Changes changes, AdminAudit audit,
			EngineControlProperties properties, MeterRegistry meterRegistry) {
		this.repository = repository;
		this.clock = clock;
		this.changes = changes;
		this.audit = audit;
		this.platforms = Caffeine.newBuilder()
			.maximumSize(properties.cache().maximumSize())
			.recordStats()
			.build((name) -> repository.findByName(name).orElse(null));
		CaffeineCacheMetrics.monitor(meterRegistry, this.platforms, "platforms");
		changes.subscribe(ChangeKind.PLATFORM, this.platforms::invalidate, this.platforms::invalidateAll);
	}

	/**
	 * A platform, from the cache when present.
	 * @param name the platform name
	 * @return the platform, or empty when the catalog has none of that name
	 */
	public Optional<Platform> find(String name) {
		return Optional.ofNullable(this.platforms.get(name));
	}

	/**
	 * Every platform, read from the store.
	 * @return platforms ordered by name
	 */
	public List<Platform> all() {
		return this.repository.findAll();
	}

	/**
	 * Sets a platform's status; the next check sees it.
	 * @param name the platform name
	 * @param status the new status
	 * @param message why, shown to engines
	 * @return the updated platform
	 */
	public Platform setStatus(String name, PlatformStatus status, String message) {
		Platform before = find(name)
			.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No platform named '" + name + "'"));
		this.changes.run(ChangeKind.PLATFORM, name, () -> {
			this.repository.updateStatus(name, status, message, this.clock.instant());
			this.audit.record("platform.status", "platform", name, statusOf(before.status(), before.statusMessage()),
					statusOf(status, message));
		});
		return find(name).orElseThrow();
	}

	private static Map<String, Object> statusOf(PlatformStatus status, String message) {
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("status", status);
		state.put("message", message);
		return state;
	}

	/**
	 * Applies catalog definitions: inserts new platforms, updates changed ones and keeps
	 * their status. Unchanged definitions are not written, so restarting a replica does
	 * not disturb the others' caches; replicas starting together may both apply a
	 * definition.
	 * @param definitions the platforms to apply
	 */
	public void apply(Collection<PlatformDefinition> definitions) {
		for (PlatformDefinition definition : definitions) {
			if (find(definition.name()).filter(definition::isDefinitionOf).isPresent()) {
				continue;
			}
			try {
				this.changes.run(ChangeKind.PLATFORM, definition.name(),
						() -> this.repository.applyDefinition(definition, this.clock.instant()));
			}
			catch (DuplicateKeyException ex) {
				// another replica inserted it at the same moment: now it exists, update
				// it
				this.changes.run(ChangeKind.PLATFORM, definition.name(),
						() -> this.repository.applyDefinition(definition, this.clock.instant()));
			}
		}
	}

	/**
	 * The capabilities that name a platform or action the catalog does not have.
	 * @param capabilities platform to actions
	 * @return {@code platform} or {@code platform.action} for each unknown entry
	 */
	public List<String> unknownCapabilities(Map<String, ? extends Collection<String>> capabilities) {
		List<String> unknown = new ArrayList<>();
		capabilities.forEach((name, actions) -> {
			Optional<Platform> platform = find(name);
			if (platform.isEmpty()) {
				unknown.add(name);
				return;
			}
			for (String action : actions) {
				if (platform.get().requiredScopes(action) == null) {
					unknown.add(name + "." + action);
				}
			}
		});
		return unknown;
	}

}
