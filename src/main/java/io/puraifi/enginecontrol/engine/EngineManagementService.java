package io.puraifi.enginecontrol.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

import io.puraifi.enginecontrol.audit.AuditTrail;
import io.puraifi.enginecontrol.platform.PlatformCatalog;
import io.puraifi.enginecontrol.propagation.ChangeKind;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.stereotype.Service;

/**
 * Operators' changes to a registered engine: suspend and resume, capabilities, revoke,
 * delete. The operator principal is not changed here. Each change is an
 * {@link ChangeKind#ENGINE} change, which drops the engine from {@link EngineRegistry}'s
 * cache on every replica.
 */
@Service
public class EngineManagementService {

	private final EngineRegistry registry;

	private final EngineRepository repository;

	private final PlatformCatalog catalog;

	private final Clock clock;

	private final Changes changes;

	private final AuditTrail audit;

	EngineManagementService(EngineRegistry registry, EngineRepository repository, PlatformCatalog catalog, Clock clock,
			Changes changes, AuditTrail audit) {
		this.registry = registry;
		this.repository = repository;
		this.catalog = catalog;
		this.clock = clock;
		this.changes = changes;
		this.audit = audit;
	}

	/**
	 * Suspends or resumes an engine.
	 * @param engineId the engine id
	 * @param status the new status
	 * @return the updated engine
	 */
	public Engine setStatus(String engineId, EngineStatus status) {
		Engine before = this.registry.requireNotRevoked(engineId);
		Instant now = this.clock.instant();
		this.changes.run(ChangeKind.ENGINE, engineId, () -> {
			this.repository.updateStatus(engineId, status, now);
			this.audit.record((status == EngineStatus.ACTIVE) ? "engine.resume" : "engine.suspend", "engine", engineId,
					before, before.withStatus(status, now));
		});
		return this.registry.requireEngine(engineId);
	}

	/**
	 * Replaces everything an engine may do.
	 * @param engineId the engine id
	 * @param capabilities platform to actions, all in the catalog
	 * @return the updated engine
	 */
	public Engine replaceCapabilities(String engineId, Map<String, ? extends Collection<String>> capabilities) {
		Engine before = this.registry.requireNotRevoked(engineId);
		this.catalog.requireKnown(capabilities);
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
		Engine before = this.registry.requireNotRevoked(engineId);
		if (add != null) {
			this.catalog.requireKnown(add);
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
		return this.registry.requireEngine(engineId);
	}

	/**
	 * Revokes an engine for good, with all its keys. Revoking a revoked engine changes
	 * nothing.
	 * @param engineId the engine id
	 * @return the revoked engine
	 */
	public Engine revoke(String engineId) {
		Engine before = this.registry.requireEngine(engineId);
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
		return this.registry.requireEngine(engineId);
	}

	/**
	 * Deletes an engine with its keys and grants; its events stay.
	 * @param engineId the engine id
	 */
	public void delete(String engineId) {
		Engine before = this.registry.requireEngine(engineId);
		this.changes.run(ChangeKind.ENGINE, engineId, () -> {
			this.repository.delete(engineId);
			this.audit.record("engine.delete", "engine", engineId, before, null);
		});
	}

}
