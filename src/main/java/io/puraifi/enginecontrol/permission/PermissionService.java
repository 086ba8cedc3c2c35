package io.puraifi.enginecontrol.permission;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import io.puraifi.enginecontrol.engine.AuthenticatedEngine;
import io.puraifi.enginecontrol.engine.Engine;
import io.puraifi.enginecontrol.engine.EngineRegistry;
import io.puraifi.enginecontrol.platform.Platform;
import io.puraifi.enginecontrol.platform.PlatformCatalog;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.settings.FeatureFlags;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.stereotype.Service;

/**
 * Answers permission checks from the cached registry, catalog and flags, and writes
 * exactly one decision record per check: a JSON log line with the request id, the engine,
 * the platform, the action, the status (allowed, denied or error), the reason and the
 * time taken.
 */
@Service
public class PermissionService {

	private static final Logger decisions = LoggerFactory.getLogger("engine-control.decision");

	private final EngineRegistry registry;

	private final PlatformCatalog catalog;

	private final FeatureFlags flags;

	private final Changes changes;

	private final Clock clock;

	private final Duration maxRevisionWait;

	PermissionService(EngineRegistry registry, PlatformCatalog catalog, FeatureFlags flags, Changes changes,
			Clock clock, EngineControlProperties properties) {
		this.registry = registry;
		this.clock = clock;
		this.catalog = catalog;
		this.flags = flags;
		this.changes = changes;
		this.maxRevisionWait = properties.propagation().maxRevisionWait();
	}

	/**
	 * Decides whether an engine may perform an action now.
	 * @param caller the authenticated principal
	 * @param engineId the engine the check is for; null means the caller. Only an
	 * operator may ask about another engine.
	 * @param platformName the platform
	 * @param actionType the action
	 * @param minRevision the store revision the decision must reflect at least, or null
	 * @return the decision and the revision it was made at
	 */
	public RevisionedDecision check(AuthenticatedEngine caller, String engineId, String platformName, String actionType,
			Long minRevision) {
		String subject = (engineId != null) ? engineId : caller.engineId();
		if (!subject.equals(caller.engineId()) && !caller.isAdmin()) {
			throw new ProblemException(ProblemType.FORBIDDEN,
					"engine_id must be the authenticated engine '" + caller.engineId() + "'");
		}
		long start = System.nanoTime();
		try {
			if (minRevision != null) {
				this.changes.awaitRevision(minRevision, this.maxRevisionWait);
			}
			long revision = this.changes.revision();
			Engine engine = this.registry.find(subject).orElse(null);
			Platform platform = this.catalog.find(platformName).orElse(null);
			Decision decision = PermissionChecker.decide(subject, engine, platformName, platform, actionType,
					this.flags::find, this.clock.instant());
			record(caller, subject, platformName, actionType, start, decision.allowed() ? "allowed" : "denied")
				.addKeyValue("reason", decision.reason().name())
				.addKeyValue("revision", revision)
				.log("decision");
			return new RevisionedDecision(decision, revision);
		}
		catch (RuntimeException ex) {
			record(caller, subject, platformName, actionType, start, "error")
				.addKeyValue("reason", ex.getClass().getSimpleName())
				.log("decision");
			throw ex;
		}
	}

	/**
	 * A decision and the store revision this replica had applied when it was made.
	 *
	 * @param decision the decision
	 * @param revision the revision
	 */
	public record RevisionedDecision(Decision decision, long revision) {
	}

	private static LoggingEventBuilder record(AuthenticatedEngine caller, String subject, String platform,
			String actionType, long start, String status) {
		LoggingEventBuilder line = decisions.atInfo();
		if (!subject.equals(caller.engineId())) {
			line = line.addKeyValue("subject_engine_id", subject);
		}
		return line.addKeyValue("platform", platform)
			.addKeyValue("action_type", actionType)
			.addKeyValue("status", status)
			.addKeyValue("duration_us", (System.nanoTime() - start) / 1_000);
	}

}
