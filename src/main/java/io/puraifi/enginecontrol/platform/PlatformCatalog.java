package io.puraifi.enginecontrol.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.puraifi.enginecontrol.audit.AuditTrail;
import io.puraifi.enginecontrol.propagation.ChangeKind;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * The platform catalog, read through a bounded cache that also remembers names the
 * catalog does not have, so a check naming an unknown platform costs one store query per
 * name, not one per check. Every write goes through this class, which invalidates what it
 * changed (adding a platform invalidates its name too). A cached platform carries its
 * maintenance windows that had not ended when it was read; decisions evaluate them
 * against the time of the check, so an entry never goes stale when a window starts or
 * ends.
 */
@Component
public class PlatformCatalog {

	/**
	 * The longest maintenance window an operator can schedule.
	 */
	public static final Duration MAX_WINDOW_LENGTH = Duration.ofDays(30);

	/**
	 * The most windows a platform can have scheduled or in effect at once: each cached
	 * platform carries them.
	 */
	public static final int MAX_PENDING_WINDOWS = 100;

	private final PlatformRepository repository;

	private final MaintenanceWindowRepository windows;

	private final Clock clock;

	private final Changes changes;

	private final AuditTrail audit;

	private final LoadingCache<String, Optional<Platform>> platforms;

	PlatformCatalog(PlatformRepository repository, MaintenanceWindowRepository windows, Clock clock, Changes changes,
			AuditTrail audit, EngineControlProperties properties, MeterRegistry meterRegistry) {
		this.repository = repository;
		this.windows = windows;
		this.clock = clock;
		this.changes = changes;
		this.audit = audit;
		this.platforms = Caffeine.newBuilder()
			.maximumSize(properties.cache().maximumSize())
			.recordStats()
			.build((name) -> repository.findByName(name)
				.map((platform) -> platform.withMaintenanceWindows(windows.findNotEnded(name, clock.instant()))));
		CaffeineCacheMetrics.monitor(meterRegistry, this.platforms, "platforms");
		changes.subscribe(ChangeKind.PLATFORM, this.platforms::invalidate, this.platforms::invalidateAll);
	}

	/**
	 * A platform, from the cache when present.
	 * @param name the platform name
	 * @return the platform, or empty when the catalog has none of that name
	 */
	public Optional<Platform> find(String name) {
		return this.platforms.get(name);
	}

	/**
	 * Every platform with its maintenance windows not yet ended, read from the store.
	 * @return platforms ordered by name
	 */
	public List<Platform> all() {
		Map<String, List<MaintenanceWindow>> pending = this.windows.findNotEnded(this.clock.instant())
			.stream()
			.collect(Collectors.groupingBy(MaintenanceWindow::platform));
		return this.repository.findAll()
			.stream()
			.map((platform) -> platform.withMaintenanceWindows(pending.getOrDefault(platform.name(), List.of())))
			.toList();
	}

	/**
	 * Schedules a maintenance window; every replica denies checks on the platform while
	 * it is in effect.
	 * @param name the platform name
	 * @param startsAt when it starts
	 * @param endsAt when it ends: after it starts, in the future, at most
	 * {@link #MAX_WINDOW_LENGTH} later
	 * @param message why, shown to engines
	 * @return the window
	 */
	public MaintenanceWindow scheduleMaintenance(String name, Instant startsAt, Instant endsAt, String message) {
		requirePlatform(name);
		Instant now = this.clock.instant();
		if (!endsAt.isAfter(startsAt)) {
			throw new ProblemException(ProblemType.INVALID_REQUEST, "ends_at must be after starts_at");
		}
		if (!endsAt.isAfter(now)) {
			throw new ProblemException(ProblemType.INVALID_REQUEST, "ends_at must be in the future");
		}
		if (Duration.between(startsAt, endsAt).compareTo(MAX_WINDOW_LENGTH) > 0) {
			throw new ProblemException(ProblemType.INVALID_REQUEST,
					"A maintenance window lasts at most " + MAX_WINDOW_LENGTH.toDays() + " days");
		}
		MaintenanceWindow window = new MaintenanceWindow(UUID.randomUUID().toString(), name, startsAt, endsAt, message,
				now, null);
		this.changes.run(ChangeKind.PLATFORM, name, () -> {
			if (this.windows.findNotEnded(name, now).size() >= MAX_PENDING_WINDOWS) {
				throw new ProblemException(ProblemType.CONFLICT, "Platform '" + name + "' already has "
						+ MAX_PENDING_WINDOWS + " maintenance windows scheduled; cancel one first");
			}
			this.windows.insert(window);
			this.audit.record("platform.maintenance_window.create", "platform", name, null, windowOf(window));
		});
		return window;
	}

	/**
	 * A platform's maintenance windows, read from the store.
	 * @param name the platform name
	 * @param includePast whether to include ended and cancelled windows
	 * @return the windows, by start
	 */
	public List<MaintenanceWindow> maintenanceWindows(String name, boolean includePast) {
		requirePlatform(name);
		return includePast ? this.windows.findAll(name) : this.windows.findNotEnded(name, this.clock.instant());
	}

	/**
	 * Cancels a maintenance window that has not ended; the platform is usable again on
	 * the next check unless its status or another window says otherwise.
	 * @param name the platform name
	 * @param id the window id
	 */
	public void cancelMaintenance(String name, String id) {
		requirePlatform(name);
		Instant now = this.clock.instant();
		this.changes.run(ChangeKind.PLATFORM, name, () -> {
			MaintenanceWindow before = this.windows.find(name, id)
				.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
						"Platform '" + name + "' has no maintenance window '" + id + "'"));
			if (!this.windows.cancel(name, id, now)) {
				throw new ProblemException(ProblemType.CONFLICT,
						"Maintenance window '" + id + "' is already " + before.stateAt(now).value());
			}
			this.audit.record("platform.maintenance_window.cancel", "platform", name, windowOf(before),
					windowOf(this.windows.find(name, id).orElseThrow()));
		});
	}

	private void requirePlatform(String name) {
		if (find(name).isEmpty()) {
			throw new ProblemException(ProblemType.NOT_FOUND, "No platform named '" + name + "'");
		}
	}

	private static Map<String, Object> windowOf(MaintenanceWindow window) {
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("id", window.id());
		state.put("starts_at", window.startsAt());
		state.put("ends_at", window.endsAt());
		state.put("message", window.message());
		state.put("cancelled_at", window.cancelledAt());
		return state;
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

	/**
	 * Refuses capabilities that name a platform or action the catalog does not have.
	 * @param capabilities platform to actions
	 * @throws ProblemException {@code unknown-capabilities} (422) naming each unknown
	 * entry
	 */
	public void requireKnown(Map<String, ? extends Collection<String>> capabilities) {
		List<String> unknown = unknownCapabilities(capabilities);
		if (!unknown.isEmpty()) {
			throw new ProblemException(ProblemType.UNKNOWN_CAPABILITIES,
					"The catalog has no " + String.join(", ", unknown), Map.of("unknown", unknown));
		}
	}

}
