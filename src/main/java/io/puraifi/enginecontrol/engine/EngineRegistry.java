package io.puraifi.enginecontrol.engine;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.puraifi.enginecontrol.propagation.ChangeKind;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.stereotype.Component;

/**
 * Registered engines and their credentials, read through a bounded cache: the read side
 * the authentication filter and the check use. Writes are elsewhere
 * ({@link EngineRegistrationService}, {@link EngineManagementService},
 * {@link EngineKeyService}, {@link AdminBootstrap}), each inside a
 * {@link ChangeKind#ENGINE} change, and this class alone owns the caches and their
 * invalidation. Unknown engine ids are remembered in a second bounded cache, apart from
 * the engines, so a flood of made-up ids cannot push real engines out, and a repeated
 * unknown id costs no store query: its check takes the same path and time as a wrong key.
 * Both caches drop an id when it changes ({@link ChangeKind#ENGINE}, fired by every
 * registration), on every replica.
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

	private final KeyUsage keyUsage;

	private final Clock clock;

	private final Changes changes;

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

	EngineRegistry(EngineRepository repository, KeyUsage keyUsage, Clock clock, Changes changes,
			EngineControlProperties properties, MeterRegistry meterRegistry) {
		this.repository = repository;
		this.keyUsage = keyUsage;
		this.clock = clock;
		this.changes = changes;
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
						.map((key) -> new CachedKey(this.keyUsage.use(key.keyId(), key.lastUsedAt()),
								HexFormat.of().parseHex(key.keyHash()), key.expiresAt(), key.revokedAt() != null))
						.toList(),
					new EngineSlot()))
			.orElse(null);
	}

	/**
	 * Whether this replica can authenticate the id without asking the store: the engine
	 * is cached, or the id is remembered as unknown.
	 * @param engineId the engine id
	 * @return true when {@link #authenticate} would not query the store
	 */
	boolean isCached(String engineId) {
		// Quietly: the lookup that follows is the one counted, and the one that moves the
		// entry in the eviction order; a second would double that work on every request.
		return this.engines.policy().getIfPresentQuietly(engineId) != null
				|| this.unknown.policy().getIfPresentQuietly(engineId) != null;
	}

	/**
	 * The slot held with a cached engine, without a store query and without counting as a
	 * use of the cache entry: the authentication filter asks right after
	 * {@link #authenticate}, which loaded the engine.
	 * @param engineId the engine id
	 * @return the slot, or null when the engine is not cached
	 */
	EngineSlot slot(String engineId) {
		Entry entry = this.engines.policy().getIfPresentQuietly(engineId);
		return (entry != null) ? entry.slot() : null;
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
	 * match of a usable key is handed to {@link KeyUsage}, which notes it as the key's
	 * last use at most once per resolution.
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
		CachedKey matched = null;
		for (CachedKey candidate : keys) {
			boolean equal = MessageDigest.isEqual(candidate.hash(), presented);
			if (equal && (anyKey || candidate.isUsableAt(now))) {
				matched = candidate;
			}
		}
		if (matched == null || entry == null) {
			return Optional.empty();
		}
		if (!anyKey) {
			this.keyUsage.record(matched.use(), now);
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
	 * An engine an operator may change: it exists and is not the operator principal.
	 * @param engineId the engine id
	 * @return the engine
	 * @throws ProblemException 404 when unknown, 409 for the operator principal
	 */
	Engine requireEngine(String engineId) {
		Engine engine = find(engineId)
			.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No engine named '" + engineId + "'"));
		if (engine.role() == EngineRole.ADMIN) {
			throw new ProblemException(ProblemType.CONFLICT,
					"The operator principal '" + engineId + "' cannot be changed here");
		}
		return engine;
	}

	/**
	 * As {@link #requireEngine}, and not revoked.
	 * @param engineId the engine id
	 * @return the engine
	 * @throws ProblemException 409 when it is revoked for good
	 */
	Engine requireNotRevoked(String engineId) {
		Engine engine = requireEngine(engineId);
		if (engine.isRevoked()) {
			throw new ProblemException(ProblemType.CONFLICT,
					"Engine '" + engineId + "' is revoked for good; register a new engine instead");
		}
		return engine;
	}

	private record Entry(Engine engine, List<CachedKey> keys, EngineSlot slot) {
	}

	/** A key as the cache holds it; {@code use} notes its uses (null for no key). */
	private record CachedKey(KeyUsage.Use use, byte[] hash, Instant expiresAt, boolean revoked) {

		boolean isUsableAt(Instant now) {
			return !this.revoked && EngineKey.isUnexpiredAt(this.expiresAt, now);
		}

	}

}
