package io.puraifi.enginecontrol.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.puraifi.enginecontrol.audit.AuditTrail;
import io.puraifi.enginecontrol.propagation.ChangeKind;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.stereotype.Service;

/**
 * An engine's keys for operators: listed without their values, rotated with an overlap,
 * revoked one at a time. Each change is an {@link ChangeKind#ENGINE} change, which drops
 * the engine's cached keys from {@link EngineRegistry} on every replica.
 */
@Service
public class EngineKeyService {

	private final EngineRegistry registry;

	private final EngineRepository repository;

	private final KeyUsage keyUsage;

	private final Clock clock;

	private final Changes changes;

	private final AuditTrail audit;

	private final Duration rotationOverlap;

	EngineKeyService(EngineRegistry registry, EngineRepository repository, KeyUsage keyUsage, Clock clock,
			Changes changes, AuditTrail audit, EngineControlProperties properties) {
		this.registry = registry;
		this.repository = repository;
		this.keyUsage = keyUsage;
		this.clock = clock;
		this.changes = changes;
		this.audit = audit;
		this.rotationOverlap = properties.keys().rotationOverlap();
	}

	/**
	 * An engine's keys, never the keys themselves; {@code last_used_at} includes uses
	 * this replica has noted but not yet written.
	 * @param engineId the engine id, the operator's included
	 * @return the keys, oldest first
	 */
	public List<EngineKey> keys(String engineId) {
		this.registry.find(engineId)
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
		Engine engine = this.registry.requireNotRevoked(engineId);
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
		this.registry.requireEngine(engineId);
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

}
