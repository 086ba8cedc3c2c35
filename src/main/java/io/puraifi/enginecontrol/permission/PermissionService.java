package io.puraifi.enginecontrol.permission;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import io.puraifi.enginecontrol.engine.AuthenticatedEngine;
import io.puraifi.enginecontrol.engine.Engine;
import io.puraifi.enginecontrol.engine.EngineRegistry;
import io.puraifi.enginecontrol.platform.Platform;
import io.puraifi.enginecontrol.platform.PlatformCatalog;
import io.puraifi.enginecontrol.settings.FeatureFlags;
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

	PermissionService(EngineRegistry registry, PlatformCatalog catalog, FeatureFlags flags) {
		this.registry = registry;
		this.catalog = catalog;
		this.flags = flags;
	}

	/**
	 * Decides whether an engine may perform an action now.
	 * @param caller the authenticated principal
	 * @param engineId the engine the check is for; null means the caller. Only an
	 * operator may ask about another engine.
	 * @param platformName the platform
	 * @param actionType the action
	 * @return the decision
	 */
	public Decision check(AuthenticatedEngine caller, String engineId, String platformName, String actionType) {
		String subject = (engineId != null) ? engineId : caller.engineId();
		if (!subject.equals(caller.engineId()) && !caller.isAdmin()) {
			throw new ProblemException(ProblemType.FORBIDDEN,
					"engine_id must be the authenticated engine '" + caller.engineId() + "'");
		}
		long start = System.nanoTime();
		try {
			Engine engine = this.registry.find(subject).orElse(null);
			Platform platform = this.catalog.find(platformName).orElse(null);
			Decision decision = PermissionChecker.decide(subject, engine, platformName, platform, actionType,
					this.flags::find);
			record(caller, subject, platformName, actionType, start, decision.allowed() ? "allowed" : "denied")
				.addKeyValue("reason", decision.reason().name())
				.log("decision");
			return decision;
		}
		catch (RuntimeException ex) {
			record(caller, subject, platformName, actionType, start, "error")
				.addKeyValue("reason", ex.getClass().getSimpleName())
				.log("decision");
			throw ex;
		}
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
