package io.puraifi.enginecontrol.engine;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.puraifi.enginecontrol.admin.AdminAudit;
import io.puraifi.enginecontrol.platform.PlatformCatalog;
import io.puraifi.enginecontrol.propagation.ChangeKind;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * Registered engines and their credentials, read through a bounded cache. Every write to
 * an engine goes through this class, which invalidates that engine's entry. Unknown
 * engines are not cached, so a flood of made-up ids cannot push real engines out.
 */
@Component
public class EngineRegistry {

	private static final byte[] NO_KEY = EngineKeys.digest("no engine has this key");

	private final EngineRepository repository;

	private final PlatformCatalog catalog;

	private final Clock clock;

	private final Changes changes;

	private final AdminAudit audit;

	private final LoadingCache<String, Entry> engines;

	EngineRegistry(EngineRepository repository, PlatformCatalog catalog, Clock clock, Changes changes, AdminAudit audit,
			EngineControlProperties properties, MeterRegistry meterRegistry) {
		this.repository = repository;
		this.catalog = catalog;
		this.clock = clock;
		this.changes = changes;
		this.audit = audit;
		this.engines = Caffeine.newBuilder()
			.maximumSize(properties.cache().maximumSize())
			.recordStats()
			.build(this::load);
		CaffeineCacheMetrics.monitor(meterRegistry, this.engines, "engines");
		changes.subscribe(ChangeKind.ENGINE, this.engines::invalidate, this.engines::invalidateAll);
	}

	private Entry load(String engineId) {
		return this.repository.findById(engineId)
			.map((engine) -> new Entry(engine,
					this.repository.findKeyHashes(engineId).stream().map(HexFormat.of()::parseHex).toList()))
			.orElse(null);
	}

	/**
	 * An engine, from the cache when present.
	 * @param engineId the engine id
	 * @return the engine, or empty when unknown
	 */
	public Optional<Engine> find(String engineId) {
		return Optional.ofNullable(this.engines.get(engineId)).map(Entry::engine);
	}

	/**
	 * The engine whose credentials these are, whatever its status. The key's hash is
	 * computed and compared in constant time whether or not the engine exists.
	 * @param engineId the claimed engine id
	 * @param key the presented key
	 * @return the engine when the key is one of its keys, else empty
	 */
	public Optional<Engine> authenticate(String engineId, String key) {
		byte[] presented = EngineKeys.digest(key);
		Entry entry = this.engines.get(engineId);
		List<byte[]> hashes = (entry != null) ? entry.keyHashes() : List.of(NO_KEY);
		boolean matched = false;
		for (byte[] hash : hashes) {
			matched |= MessageDigest.isEqual(hash, presented);
		}
		return (matched && entry != null) ? Optional.of(entry.engine()) : Optional.empty();
	}

	/**
	 * Registers a new active engine with a new key.
	 * @param engineId the new engine's id
	 * @param description free text
	 * @param capabilities platform to actions it may perform, all in the catalog
	 * @return the engine and its key, which is not kept
	 */
	public Registration register(String engineId, String description,
			Map<String, ? extends Collection<String>> capabilities) {
		requireKnown(capabilities);
		Instant now = this.clock.instant();
		Engine engine = new Engine(engineId, description, EngineRole.ENGINE, EngineStatus.ACTIVE,
				Engine.sorted(capabilities), now, now);
		String key = EngineKeys.generate();
		try {
			this.changes.run(ChangeKind.ENGINE, engineId, () -> {
				this.repository.insert(engine, EngineKeys.hash(key));
				this.audit.record("engine.register", "engine", engineId, null, engine);
			});
		}
		catch (DuplicateKeyException ex) {
			throw new ProblemException(ProblemType.CONFLICT, "An engine named '" + engineId + "' already exists");
		}
		return new Registration(engine, key);
	}

	/**
	 * Suspends or resumes an engine.
	 * @param engineId the engine id
	 * @param status the new status
	 * @return the updated engine
	 */
	public Engine setStatus(String engineId, EngineStatus status) {
		Engine before = requireEngine(engineId);
		Instant now = this.clock.instant();
		this.changes.run(ChangeKind.ENGINE, engineId, () -> {
			this.repository.updateStatus(engineId, status, now);
			this.audit.record((status == EngineStatus.ACTIVE) ? "engine.resume" : "engine.suspend", "engine", engineId,
					before, before.withStatus(status, now));
		});
		return requireEngine(engineId);
	}

	/**
	 * Replaces everything an engine may do.
	 * @param engineId the engine id
	 * @param capabilities platform to actions, all in the catalog
	 * @return the updated engine
	 */
	public Engine replaceCapabilities(String engineId, Map<String, ? extends Collection<String>> capabilities) {
		Engine before = requireEngine(engineId);
		requireKnown(capabilities);
		SortedMap<String, SortedSet<String>> sorted = Engine.sorted(capabilities);
		Instant now = this.clock.instant();
		this.changes.run(ChangeKind.ENGINE, engineId, () -> {
			this.repository.replaceCapabilities(engineId, sorted, now);
			this.audit.record("engine.capabilities", "engine", engineId, before, before.withCapabilities(sorted, now));
		});
		return requireEngine(engineId);
	}

	/**
	 * Creates the operator principal with the given key unless it exists.
	 * @param adminId the operator's engine id
	 * @param key the operator's key
	 * @return true when it was created now, false when it already existed
	 */
	boolean createAdmin(String adminId, String key) {
		if (this.repository.findById(adminId).isPresent()) {
			return false;
		}
		Instant now = this.clock.instant();
		Engine admin = new Engine(adminId, "Operator principal", EngineRole.ADMIN, EngineStatus.ACTIVE,
				Engine.sorted(Map.of()), now, now);
		try {
			this.changes.run(ChangeKind.ENGINE, adminId, () -> {
				this.repository.insert(admin, EngineKeys.hash(key));
				this.audit.record("engine.register", "engine", adminId, null, admin);
			});
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * Makes the given key the operator principal's only key, creating the principal if
	 * needed.
	 * @param adminId the operator's engine id
	 * @param key the operator's key
	 */
	void installAdminKey(String adminId, String key) {
		if (createAdmin(adminId, key) || this.repository.findKeyHashes(adminId).equals(List.of(EngineKeys.hash(key)))) {
			return;
		}
		try {
			this.changes.run(ChangeKind.ENGINE, adminId, () -> {
				this.repository.replaceKeys(adminId, EngineKeys.hash(key), this.clock.instant());
				this.audit.record("engine.keys.replace", "engine", adminId, null, null);
			});
		}
		catch (DuplicateKeyException ex) {
			// another replica installed the same key at the same moment
		}
	}

	boolean exists(String engineId) {
		return this.repository.findById(engineId).isPresent();
	}

	private Engine requireEngine(String engineId) {
		Engine engine = find(engineId)
			.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No engine named '" + engineId + "'"));
		if (engine.role() == EngineRole.ADMIN) {
			throw new ProblemException(ProblemType.CONFLICT,
					"The operator principal '" + engineId + "' cannot be changed here");
		}
		return engine;
	}

	private void requireKnown(Map<String, ? extends Collection<String>> capabilities) {
		List<String> unknown = this.catalog.unknownCapabilities(capabilities);
		if (!unknown.isEmpty()) {
			throw new ProblemException(ProblemType.UNKNOWN_CAPABILITIES,
					"The catalog has no " + String.join(", ", unknown), Map.of("unknown", unknown));
		}
	}

	/**
	 * A newly registered engine and its key.
	 *
	 * @param engine the engine
	 * @param key the key, shown once
	 */
	public record Registration(Engine engine, String key) {
	}

	private record Entry(Engine engine, List<byte[]> keyHashes) {
	}

}
