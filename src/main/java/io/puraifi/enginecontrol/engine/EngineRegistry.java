package io.puraifi.enginecontrol.engine;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.puraifi.enginecontrol.audit.AuditTrail;
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
 * engine ids are remembered in a second bounded cache, apart from the engines, so a flood
 * of made-up ids cannot push real engines out, and a repeated unknown id costs no store
 * query: its check takes the same path and time as a wrong key. Both caches drop an id
 * when it changes ({@link ChangeKind#ENGINE}, fired by every registration), on every
 * replica.
 * <p>
 * The cache holds each key's hash with its expiry, so a rotated key stops working when
 * its overlap ends without a store query or an invalidation; a revocation is a change and
 * invalidates the entry on every replica.
 */
@Component
public class EngineRegistry {

	private static final byte[] NO_KEY = EngineKeys.digest("no engine has this key");

	/**
	 * How long an unknown id is remembered at most; invalidation on registration is what
	 * keeps it right, this only ages out ids nobody asks about.
	 */
	private static final Duration UNKNOWN_TTL = Duration.ofMinutes(10);

	private final EngineRepository repository;

	private final PlatformCatalog catalog;

	private final Clock clock;

	private final Changes changes;

	private final AuditTrail audit;

	private final LoadingCache<String, Entry> engines;

	private final Cache<String, Boolean> unknown;

	/**
	 * The id of every engine registered when this replica started or since: past a
	 * failure limit, an id that is neither cached nor here belongs to no engine and is
	 * refused without a store lookup, while a right key of a registered engine this
	 * replica has not cached yet is still looked up. Ids of deleted engines stay until
	 * the next full reload; that only allows a lookup that finds nothing.
	 */
	private final Set<String> registered = ConcurrentHashMap.newKeySet();

	/** Moves on every engine invalidation; see {@link #lookup}. */
	private final AtomicLong invalidations = new AtomicLong();

	private final EnrollmentTokenRepository tokens;

	private final KeyUsage keyUsage;

	private final Duration rotationOverlap;

	EngineRegistry(EngineRepository repository, EnrollmentTokenRepository tokens, KeyUsage keyUsage,
			PlatformCatalog catalog, Clock clock, Changes changes, AuditTrail audit, EngineControlProperties properties,
			MeterRegistry meterRegistry) {
		this.repository = repository;
		this.tokens = tokens;
		this.keyUsage = keyUsage;
		this.rotationOverlap = properties.keys().rotationOverlap();
		this.catalog = catalog;
		this.clock = clock;
		this.changes = changes;
		this.audit = audit;
		this.engines = Caffeine.newBuilder()
			.maximumSize(properties.cache().maximumSize())
			.recordStats()
			.build(this::load);
		this.unknown = Caffeine.newBuilder()
			.maximumSize(properties.cache().maximumSize())
			.expireAfterWrite(UNKNOWN_TTL)
			.recordStats()
			.build();
		CaffeineCacheMetrics.monitor(meterRegistry, this.engines, "engines");
		CaffeineCacheMetrics.monitor(meterRegistry, this.unknown, "unknown_engines");
		this.registered.addAll(repository.findAllIds());
		changes.subscribe(ChangeKind.ENGINE, (engineId) -> {
			this.registered.add(engineId);
			this.invalidations.incrementAndGet();
			this.unknown.invalidate(engineId);
			this.engines.invalidate(engineId);
		}, () -> {
			this.registered.addAll(repository.findAllIds());
			this.invalidations.incrementAndGet();
			this.unknown.invalidateAll();
			this.engines.invalidateAll();
		});
	}

	/**
	 * The cached engine, loaded on a miss; null when unknown. An id found unknown is
	 * remembered unless an engine invalidation happened meanwhile: it is put first and
	 * taken back if the invalidation count moved, so an id registered while it was being
	 * looked up is never remembered as unknown.
	 */
	private Entry lookup(String engineId) {
		if (this.unknown.getIfPresent(engineId) != null) {
			return null;
		}
		long before = this.invalidations.get();
		Entry entry = this.engines.get(engineId);
		if (entry == null) {
			this.unknown.put(engineId, Boolean.TRUE);
			if (this.invalidations.get() != before) {
				this.unknown.invalidate(engineId);
			}
		}
		return entry;
	}

	private Entry load(String engineId) {
		return this.repository.findWithKeys(engineId)
			.map((loaded) -> new Entry(loaded.engine(),
					loaded.keys()
						.stream()
						.map((key) -> new CachedKey(key.keyId(), HexFormat.of().parseHex(key.keyHash()),
								key.expiresAt(), key.revokedAt() != null))
						.toList()))
			.orElse(null);
	}

	/**
	 * Whether this replica can authenticate the id without asking the store: the engine
	 * is cached, or the id is remembered as unknown.
	 * @param engineId the engine id
	 * @return true when {@link #authenticate} would not query the store
	 */
	boolean isCached(String engineId) {
		return this.engines.getIfPresent(engineId) != null || this.unknown.getIfPresent(engineId) != null;
	}

	/**
	 * Whether the id belongs to an engine registered when this replica started or since
	 * (on any replica, once its change arrived here).
	 * @param engineId the engine id
	 * @return true for a registered engine's id, cached or not
	 */
	boolean isRegistered(String engineId) {
		return this.registered.contains(engineId);
	}

	/**
	 * Whether the id is remembered as belonging to no engine.
	 * @param engineId the engine id
	 * @return true when a lookup found no such engine and none was registered since
	 */
	boolean isKnownUnknown(String engineId) {
		return this.unknown.getIfPresent(engineId) != null;
	}

	/**
	 * An engine, from the cache when present.
	 * @param engineId the engine id
	 * @return the engine, or empty when unknown
	 */
	public Optional<Engine> find(String engineId) {
		return Optional.ofNullable(lookup(engineId)).map(Entry::engine);
	}

	/**
	 * Validates another engine's credentials for {@code /engines/validate}: as
	 * {@link #authenticate}, but fails closed once this replica's state has been stale
	 * for longer than {@code max-staleness}, since the answer is itself an authorization.
	 * @param engineId the claimed engine id
	 * @param key the presented key
	 * @return the engine when the key is one of its usable keys, else empty
	 * @throws io.puraifi.enginecontrol.system.ProblemException {@code store-unavailable}
	 * (503) past the bound
	 */
	public Optional<Engine> validate(String engineId, String key) {
		this.changes.requireUsableState(this.clock.instant());
		return authenticate(engineId, key);
	}

	/**
	 * The engine whose credentials these are, whatever its status. The key's hash is
	 * computed and compared in constant time with every key of the engine, whether or not
	 * the engine exists. A key matches while it is neither revoked nor expired; any key
	 * of a revoked engine matches, so that its holder learns the engine is revoked. A
	 * match is noted in memory as the key's last use.
	 * @param engineId the claimed engine id
	 * @param key the presented key
	 * @return the engine when the key is one of its usable keys, else empty
	 */
	public Optional<Engine> authenticate(String engineId, String key) {
		byte[] presented = EngineKeys.digest(key);
		Instant now = this.clock.instant();
		Entry entry = lookup(engineId);
		List<CachedKey> keys = (entry != null) ? entry.keys() : List.of(new CachedKey(null, NO_KEY, null, true));
		boolean anyKey = entry != null && entry.engine().isRevoked();
		String matched = null;
		for (CachedKey candidate : keys) {
			boolean equal = MessageDigest.isEqual(candidate.hash(), presented);
			if (equal && (anyKey || candidate.isUsableAt(now))) {
				matched = candidate.keyId();
			}
		}
		if (matched == null || entry == null) {
			return Optional.empty();
		}
		if (!anyKey) {
			this.keyUsage.record(matched, now);
		}
		return Optional.of(entry.engine());
	}

	/**
	 * A page of engines, from the store, ordered by engine id.
	 * @param status only this status, or null for all
	 * @param afterEngineId only ids after this one, or null from the start
	 * @param limit most engines
	 * @return the engines
	 */
	public List<Engine> list(EngineStatus status, String afterEngineId, int limit) {
		return this.repository.findPage(status, afterEngineId, limit);
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
		Engine before = requireNotRevoked(engineId);
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
		Engine before = requireNotRevoked(engineId);
		requireKnown(capabilities);
		return writeCapabilities(before, Engine.sorted(capabilities), "engine.capabilities");
	}

	/**
	 * Grants and takes away some of what an engine may do.
	 * @param engineId the engine id
	 * @param add platform to actions to grant, all in the catalog; or null
	 * @param remove platform to actions to take away; or null
	 * @return the updated engine
	 */
	public Engine patchCapabilities(String engineId, Map<String, ? extends Collection<String>> add,
			Map<String, ? extends Collection<String>> remove) {
		Engine before = requireNotRevoked(engineId);
		if (add != null) {
			requireKnown(add);
		}
		SortedMap<String, SortedSet<String>> patched;
		try {
			patched = Capabilities.patch(before.capabilities(), add, remove);
		}
		catch (IllegalArgumentException ex) {
			throw new ProblemException(ProblemType.INVALID_REQUEST, ex.getMessage());
		}
		return writeCapabilities(before, patched, "engine.capabilities.patch");
	}

	private Engine writeCapabilities(Engine before, SortedMap<String, SortedSet<String>> capabilities, String action) {
		String engineId = before.engineId();
		Instant now = this.clock.instant();
		this.changes.run(ChangeKind.ENGINE, engineId, () -> {
			this.repository.replaceCapabilities(engineId, capabilities, now);
			this.audit.record(action, "engine", engineId, before, before.withCapabilities(capabilities, now));
		});
		return requireEngine(engineId);
	}

	/**
	 * Revokes an engine for good, with all its keys. Revoking a revoked engine changes
	 * nothing.
	 * @param engineId the engine id
	 * @return the revoked engine
	 */
	public Engine revoke(String engineId) {
		Engine before = requireEngine(engineId);
		if (before.isRevoked()) {
			return before;
		}
		Instant now = this.clock.instant();
		Engine after = before.withStatus(EngineStatus.REVOKED, now);
		this.changes.run(ChangeKind.ENGINE, engineId, () -> {
			this.repository.updateStatus(engineId, EngineStatus.REVOKED, now);
			this.repository.revokeKeys(engineId, now);
			this.audit.record("engine.revoke", "engine", engineId, before, after);
		});
		return requireEngine(engineId);
	}

	/**
	 * Deletes an engine with its keys and grants; its events stay.
	 * @param engineId the engine id
	 */
	public void delete(String engineId) {
		Engine before = requireEngine(engineId);
		this.changes.run(ChangeKind.ENGINE, engineId, () -> {
			this.repository.delete(engineId);
			this.audit.record("engine.delete", "engine", engineId, before, null);
		});
	}

	/**
	 * An engine's keys, never the keys themselves; {@code last_used_at} includes uses
	 * this replica has noted but not yet written.
	 * @param engineId the engine id, the operator's included
	 * @return the keys, oldest first
	 */
	public List<EngineKey> keys(String engineId) {
		find(engineId)
			.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No engine named '" + engineId + "'"));
		return this.repository.findKeys(engineId).stream().map(this::withPendingUse).toList();
	}

	private EngineKey withPendingUse(EngineKey key) {
		Instant pending = this.keyUsage.pending(key.keyId());
		if (pending == null || (key.lastUsedAt() != null && !pending.isAfter(key.lastUsedAt()))) {
			return key;
		}
		return new EngineKey(key.keyId(), key.engineId(), key.keyHash(), key.createdAt(), key.expiresAt(),
				key.revokedAt(), pending);
	}

	/**
	 * Issues a new key; the engine's other usable keys keep working until the overlap
	 * ends.
	 * @param engineId the engine id
	 * @param overlap how long the previous keys keep working; null for the configured
	 * overlap, which it may not exceed
	 * @return the new key, shown once
	 */
	public Rotation rotateKey(String engineId, Duration overlap) {
		Engine engine = requireNotRevoked(engineId);
		Duration effective = (overlap != null) ? overlap : this.rotationOverlap;
		if (effective.isNegative() || effective.compareTo(this.rotationOverlap) > 0) {
			throw new ProblemException(ProblemType.INVALID_REQUEST,
					"overlap must be between PT0S and the configured " + this.rotationOverlap);
		}
		Instant now = this.clock.instant();
		Instant overlapEnd = now.plus(effective);
		String key = EngineKeys.generate();
		String keyId = this.changes.write(ChangeKind.ENGINE, engineId, () -> {
			List<KeyView> before = views(this.repository.findKeys(engineId));
			String id = this.repository.addKey(engineId, EngineKeys.hash(key), now);
			this.repository.expireKeys(engineId, overlapEnd, id);
			this.audit.record("engine.key.rotate", "engine", engine.engineId(), before,
					views(this.repository.findKeys(engineId)));
			return id;
		});
		return new Rotation(keyId, key, now, overlapEnd);
	}

	/**
	 * Revokes one key now; revoking a revoked key changes nothing.
	 * @param engineId the engine id
	 * @param keyId the key id
	 * @return the key
	 */
	public EngineKey revokeKey(String engineId, String keyId) {
		requireEngine(engineId);
		EngineKey before = requireKey(engineId, keyId);
		if (before.revokedAt() != null) {
			return before;
		}
		Instant now = this.clock.instant();
		this.changes.run(ChangeKind.ENGINE, engineId, () -> {
			this.repository.revokeKey(engineId, keyId, now);
			this.audit.record("engine.key.revoke", "engine", engineId, KeyView.of(before),
					KeyView.of(requireKey(engineId, keyId)));
		});
		return withPendingUse(requireKey(engineId, keyId));
	}

	private EngineKey requireKey(String engineId, String keyId) {
		return this.repository.findKeys(engineId)
			.stream()
			.filter((key) -> key.keyId().equals(keyId))
			.findFirst()
			.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
					"Engine '" + engineId + "' has no key '" + keyId + "'"));
	}

	private static List<KeyView> views(List<EngineKey> keys) {
		return keys.stream().map(KeyView::of).toList();
	}

	/**
	 * Registers an engine that presents an enrollment token, with the requested
	 * capabilities that fall inside the token's ceiling. The token's use is taken in the
	 * registration's transaction: when the registration fails, the use is not spent, and
	 * two registrations never share the last use.
	 * @param token the presented enrollment token
	 * @param engineId the new engine's id
	 * @param description free text
	 * @param requested platform to actions asked for
	 * @return the engine, its key and what was not granted
	 * @throws ProblemException 401 with the same answer for a malformed, unknown,
	 * expired, revoked or used-up token
	 */
	public Enrollment enroll(String token, String engineId, String description,
			Map<String, ? extends Collection<String>> requested) {
		if (!EngineKeys.isWellFormedEnrollmentToken(token)) {
			throw invalidEnrollmentToken();
		}
		String tokenHash = EngineKeys.hash(token);
		Instant now = this.clock.instant();
		String key = EngineKeys.generate();
		try {
			return this.changes.write(ChangeKind.ENGINE, engineId, () -> {
				EnrollmentToken enrollmentToken = this.tokens.findByHash(tokenHash)
					.filter((candidate) -> candidate.isUsableAt(now))
					.orElseThrow(EngineRegistry::invalidEnrollmentToken);
				requireKnown(requested);
				if (!this.tokens.consume(enrollmentToken.tokenId(), now)) {
					throw invalidEnrollmentToken();
				}
				Capabilities.Split split = Capabilities.intersect(requested, enrollmentToken.capabilities());
				Engine engine = new Engine(engineId, description, EngineRole.ENGINE, EngineStatus.ACTIVE,
						split.granted(), now, now);
				this.repository.insert(engine, EngineKeys.hash(key));
				this.audit.record("engine.enroll", "engine", engineId, null,
						new EnrollmentRecord(engine, enrollmentToken.tokenId(), split.notGranted()));
				return new Enrollment(engine, key, split.notGranted());
			});
		}
		catch (DuplicateKeyException ex) {
			throw new ProblemException(ProblemType.CONFLICT, "An engine named '" + engineId + "' already exists");
		}
	}

	static ProblemException invalidEnrollmentToken() {
		return new ProblemException(ProblemType.UNAUTHENTICATED,
				"Send a valid, unexpired and unused X-Enrollment-Token to register");
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
	 * Refuses an operator id that names an ordinary engine: making it the operator would
	 * hand that engine's key holders the operator's powers.
	 * @param adminId the configured operator id
	 * @throws IllegalStateException when an engine with that id exists and is not the
	 * operator
	 */
	void requireOperatorIdFree(String adminId) {
		Optional<Engine> existing = this.repository.findById(adminId);
		if (existing.isPresent() && existing.get().role() != EngineRole.ADMIN) {
			throw new IllegalStateException("ENGINE_CONTROL_ADMIN_ENGINE_ID is '" + adminId
					+ "', the id of an ordinary engine; choose an id no engine has, or delete that engine first");
		}
	}

	/**
	 * Demotes every operator principal but the configured one to an ordinary engine (no
	 * capabilities, keys and status kept), so that changing the operator id leaves one
	 * operator.
	 * @param adminId the configured operator id
	 * @return the ids demoted
	 */
	List<String> demoteOtherOperators(String adminId) {
		List<String> demoted = new ArrayList<>();
		for (String engineId : this.repository.findIdsByRole(EngineRole.ADMIN)) {
			if (engineId.equals(adminId)) {
				continue;
			}
			Optional<Engine> before = this.repository.findById(engineId);
			if (before.isEmpty()) {
				continue;
			}
			Instant now = this.clock.instant();
			Engine engine = before.get();
			Engine after = new Engine(engineId, engine.description(), EngineRole.ENGINE, engine.status(),
					engine.capabilities(), engine.createdAt(), now);
			this.changes.run(ChangeKind.ENGINE, engineId, () -> {
				this.repository.updateRole(engineId, EngineRole.ENGINE, now);
				this.audit.record("engine.demote", "engine", engineId, engine, after);
			});
			demoted.add(engineId);
		}
		return demoted;
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

	private Engine requireNotRevoked(String engineId) {
		Engine engine = requireEngine(engineId);
		if (engine.isRevoked()) {
			throw new ProblemException(ProblemType.CONFLICT,
					"Engine '" + engineId + "' is revoked for good; register a new engine instead");
		}
		return engine;
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

	void requireKnown(Map<String, ? extends Collection<String>> capabilities) {
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

		@Override
		public String toString() {
			return "Registration[engine=" + this.engine + ", key=(hidden)]";
		}

	}

	/**
	 * A newly enrolled engine, its key and the requested capabilities outside the
	 * ceiling.
	 *
	 * @param engine the engine
	 * @param key the key, shown once
	 * @param notGranted requested but not granted
	 */
	public record Enrollment(Engine engine, String key, SortedMap<String, SortedSet<String>> notGranted) {

		@Override
		public String toString() {
			return "Enrollment[engine=" + this.engine + ", key=(hidden), notGranted=" + this.notGranted + "]";
		}

	}

	/**
	 * A new key after a rotation.
	 *
	 * @param keyId the new key's id
	 * @param key the key, shown once
	 * @param createdAt when it was issued
	 * @param previousKeysExpireAt when the engine's previous keys stop working
	 */
	public record Rotation(String keyId, String key, Instant createdAt, Instant previousKeysExpireAt) {

		@Override
		public String toString() {
			return "Rotation[keyId=" + this.keyId + ", key=(hidden), createdAt=" + this.createdAt
					+ ", previousKeysExpireAt=" + this.previousKeysExpireAt + "]";
		}

	}

	/**
	 * What the audit trail records of a key: never the key or its hash.
	 */
	record KeyView(String keyId, Instant createdAt, Instant expiresAt, Instant revokedAt) {

		static KeyView of(EngineKey key) {
			return new KeyView(key.keyId(), key.createdAt(), key.expiresAt(), key.revokedAt());
		}

	}

	/**
	 * What the audit trail records of an enrollment.
	 */
	record EnrollmentRecord(Engine engine, String enrollmentTokenId, SortedMap<String, SortedSet<String>> notGranted) {
	}

	private record Entry(Engine engine, List<CachedKey> keys) {
	}

	private record CachedKey(String keyId, byte[] hash, Instant expiresAt, boolean revoked) {

		boolean isUsableAt(Instant now) {
			return !this.revoked && EngineKey.isUnexpiredAt(this.expiresAt, now);
		}

	}

}
