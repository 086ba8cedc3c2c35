package io.puraifi.enginecontrol.permission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.MDC;

import io.puraifi.enginecontrol.engine.AuthenticatedEngine;
import io.puraifi.enginecontrol.engine.Engine;
import io.puraifi.enginecontrol.engine.EngineRegistry;
import io.puraifi.enginecontrol.platform.Platform;
import io.puraifi.enginecontrol.platform.PlatformCatalog;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.quota.QuotaLedger;
import io.puraifi.enginecontrol.quota.QuotaMode;
import io.puraifi.enginecontrol.quota.QuotaResult;
import io.puraifi.enginecontrol.quota.QuotaRule;
import io.puraifi.enginecontrol.quota.QuotaRules;
import io.puraifi.enginecontrol.propagation.RevisionWait;
import io.puraifi.enginecontrol.settings.FeatureFlags;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.NoControlCharacters;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;
import io.puraifi.enginecontrol.system.RequestIdFilter;
import io.puraifi.enginecontrol.system.StoreErrors;
import io.puraifi.enginecontrol.system.Names;

import org.springframework.stereotype.Service;

/**
 * Answers permission checks from the cached registry, catalog and flags, and has exactly
 * one decision record written per check ({@link DecisionRecorder}): the request id, the
 * caller and the engine the check is about, the platform, the action, the status
 * (allowed, denied or error), the reason and the time taken.
 */
@Service
public class PermissionService {

	private static final String UNKNOWN = "unknown";

	private final EngineRegistry registry;

	private final PlatformCatalog catalog;

	private final FeatureFlags flags;

	private final QuotaRules quotas;

	private final Changes changes;

	private final Clock clock;

	private final DecisionRecorder recorder;

	private final DecisionRepository decisions;

	private final Duration maxRevisionWait;

	PermissionService(EngineRegistry registry, PlatformCatalog catalog, FeatureFlags flags, QuotaRules quotas,
			Changes changes, Clock clock, DecisionRecorder recorder, DecisionRepository decisions,
			EngineControlProperties properties) {
		this.quotas = quotas;
		this.registry = registry;
		this.clock = clock;
		this.catalog = catalog;
		this.flags = flags;
		this.changes = changes;
		this.recorder = recorder;
		this.decisions = decisions;
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
	 * @return the decision and the revision it was made at; while the store cannot be
	 * reached, also since when the state it was made from may be stale
	 * @throws ProblemException {@code store-unavailable} (503) when the store cannot be
	 * reached and the decision needs it, or the last state it confirmed is older than
	 * {@code max-staleness}: such a check fails closed
	 */
	public RevisionedDecision check(AuthenticatedEngine caller, String engineId, String platformName, String actionType,
			Long minRevision) {
		return check(caller, engineId, platformName, actionType, minRevision, null, null);
	}

	/**
	 * Decides one check of a batch; see
	 * {@link #check(AuthenticatedEngine, String, String, String, Long)}.
	 * @param correlationId the caller's id for this item, recorded with the decision
	 * @param waited what the batch's one wait for its highest {@code min_revision} found
	 * ({@link #awaitRevision}), or null to wait for this check's own
	 */
	RevisionedDecision check(AuthenticatedEngine caller, String engineId, String platformName, String actionType,
			Long minRevision, String correlationId, RevisionWait waited) {
		long start = System.nanoTime();
		String subject = (engineId != null) ? engineId : caller.engineId();
		Platform platform = null;
		Decision decision;
		long revision;
		Instant staleSince;
		try {
			if (!subject.equals(caller.engineId()) && !caller.isAdmin()) {
				throw new ProblemException(ProblemType.FORBIDDEN,
						"engine_id must be the authenticated engine '" + caller.engineId() + "'");
			}
			if (minRevision != null) {
				((waited != null) ? waited : awaitRevision(List.of(minRevision))).require(minRevision);
			}
			revision = this.changes.revision();
			Instant now = this.clock.instant();
			staleSince = this.changes.requireUsableState(now);
			Engine engine = this.registry.find(subject).orElse(null);
			platform = this.catalog.find(platformName).orElse(null);
			decision = PermissionChecker.decide(subject, engine, platformName, platform, actionType,
					this.flags::enforced, now);
			if (decision.allowed()) {
				decision = underQuotas(subject, platformName, actionType, decision, now);
			}
		}
		catch (RuntimeException ex) {
			if (StoreErrors.isOutage(ex)) {
				recordError(caller, subject, platformName, actionType, correlationId,
						ProblemType.STORE_UNAVAILABLE.name(), (platform != null) ? platformName : UNKNOWN, start);
				throw Changes.storeUnavailable("The store cannot be reached and this replica has no cached state to "
						+ "decide this check from; it is not allowed");
			}
			String label = (platform != null) ? platformName : platformLabel(platformName);
			recordError(caller, subject, platformName, actionType, correlationId, errorCode(ex), label, start);
			throw ex;
		}
		String status = decision.allowed() ? DecisionRecord.ALLOWED : DecisionRecord.DENIED;
		long elapsed = System.nanoTime() - start;
		this.recorder.record(
				new DecisionRecord(0, MDC.get(RequestIdFilter.MDC_KEY), correlationId, caller.engineId(), subject,
						platformName, actionType, status, decision.reason().name(),
						(decision.quota() != null) ? "quota:" + decision.quota() : decision.flag(), revision, null,
						elapsed / 1_000, decision.shadow()),
				caller.isAdmin(), (platform != null) ? platformName : UNKNOWN, elapsed);
		return new RevisionedDecision(decision, revision, staleSince);
	}

	/**
	 * What quota rules and shadow rules make of a check that is otherwise allowed. Every
	 * matching rule, in name order, spends one unit of each of its limits, or none: when
	 * an enforcing rule has no unit, the units spent for earlier rules are put back and
	 * the check is denied with {@code QUOTA_EXCEEDED}. A shadow rule spends like an
	 * enforcing one, but one without a unit only adds itself to {@code shadow}, as does a
	 * kill switch off in shadow mode; so a shadow rule reports exactly the checks it
	 * would have denied. A check without any such rule costs one index lookup.
	 * @throws ProblemException {@code store-unavailable} when an enforcing rule needs a
	 * unit from the store and the store cannot be reached: never allowed on a guess
	 */
	private Decision underQuotas(String subject, String platformName, String actionType, Decision decision,
			Instant now) {
		List<QuotaRule> rules = this.quotas.matching(subject, platformName, actionType);
		List<String> shadowFlags = this.flags.shadowedOffFor(subject, platformName, actionType);
		if (rules.isEmpty() && shadowFlags.isEmpty()) {
			return decision;
		}
		List<Decision.ShadowDenial> shadow = new ArrayList<>(shadowFlags.size());
		for (String flag : shadowFlags) {
			shadow.add(Decision.ShadowDenial.flag(flag));
		}
		QuotaLedger ledger = this.quotas.ledger();
		List<QuotaResult> spent = new ArrayList<>(rules.size());
		Long remaining = null;
		try {
			for (QuotaRule rule : rules) {
				QuotaResult result = ledger.tryAcquire(rule, subject, now);
				if (result.allowed()) {
					spent.add(result);
					if (rule.mode() == QuotaMode.ENFORCE) {
						remaining = (remaining != null) ? Math.min(remaining, result.remaining()) : result.remaining();
					}
					continue;
				}
				if (rule.mode() == QuotaMode.SHADOW) {
					// a shadow rule never denies; one the store could not answer reports
					// nothing
					if (result.status() == QuotaResult.Status.QUOTA_EXCEEDED) {
						shadow.add(Decision.ShadowDenial.quota(rule.name()));
					}
					continue;
				}
				for (QuotaResult earlier : spent) {
					ledger.putBack(earlier, now);
				}
				if (result.status() == QuotaResult.Status.STORE_UNAVAILABLE) {
					throw Changes
						.storeUnavailable("The store cannot be reached and this replica holds no unit of quota '"
								+ rule.name() + "' for this check; it is not allowed");
				}
				return decision.deniedByQuota(rule.name(), result.retryAfterSeconds());
			}
		}
		catch (RuntimeException ex) {
			// An unexpected store error: the units spent for earlier rules go back.
			for (QuotaResult earlier : spent) {
				ledger.putBack(earlier, now);
			}
			throw ex;
		}
		return decision.allowedUnder(remaining, shadow);
	}

	/**
	 * Waits, at most {@code max-revision-wait}, until this replica has applied the
	 * revisions a request asks for, as far as the store has them: once per request.
	 * @param minRevisions the {@code min_revision} of each of the request's checks that
	 * has one
	 * @return what the wait found, {@link RevisionWait#NONE} when nothing was asked for
	 */
	RevisionWait awaitRevision(List<Long> minRevisions) {
		return minRevisions.isEmpty() ? RevisionWait.NONE
				: this.changes.awaitRevision(minRevisions, this.maxRevisionWait);
	}

	/**
	 * Records a batch item that was refused before it could be decided, so that every
	 * item of a batch has its record.
	 * @param caller the authenticated principal
	 * @param engineId the engine named by the item, may be null
	 * @param platformName the platform named by the item, may be null or invalid
	 * @param actionType the action named by the item, may be null or invalid
	 * @param correlationId the caller's id for the item
	 * @param problem why it was refused
	 */
	void recordRefused(AuthenticatedEngine caller, String engineId, String platformName, String actionType,
			String correlationId, ProblemType problem) {
		String subject = (engineId != null) ? storable(engineId) : caller.engineId();
		recordError(caller, subject, storable(platformName), storable(actionType), storable(correlationId),
				problem.name(), platformLabel(platformName), System.nanoTime());
	}

	/**
	 * A refused item's value as its record keeps it: none when it holds a control
	 * character, which a store may refuse (PostgreSQL refuses NUL in text).
	 */
	private static String storable(String value) {
		return (NoControlCharacters.Validator.violation(value, false) == null) ? value : null;
	}

	/**
	 * Stored decisions, newest first.
	 * @param query the filters
	 * @return the decisions
	 */
	public List<DecisionRecord> decisions(DecisionRepository.DecisionQuery query) {
		return this.decisions.find(query);
	}

	/**
	 * The current store revision of this replica.
	 */
	long revision() {
		return this.changes.revision();
	}

	private void recordError(AuthenticatedEngine caller, String subject, String platformName, String actionType,
			String correlationId, String reason, String platformLabel, long start) {
		long elapsed = System.nanoTime() - start;
		this.recorder.record(
				new DecisionRecord(0, MDC.get(RequestIdFilter.MDC_KEY), correlationId, caller.engineId(), subject,
						platformName, actionType, DecisionRecord.ERROR, reason, null, null, null, elapsed / 1_000),
				caller.isAdmin(), platformLabel, elapsed);
	}

	private String platformLabel(String platformName) {
		if (!Names.isName(platformName)) {
			return UNKNOWN;
		}
		try {
			return this.catalog.find(platformName).isPresent() ? platformName : UNKNOWN;
		}
		catch (RuntimeException ex) {
			return UNKNOWN;
		}
	}

	private static String errorCode(RuntimeException ex) {
		if (ex instanceof ProblemException problem) {
			return problem.type().name();
		}
		return ProblemType.INTERNAL_ERROR.name();
	}

	/**
	 * A decision and the store revision this replica had applied when it was made.
	 *
	 * @param decision the decision
	 * @param revision the revision
	 * @param staleSince while the store cannot be reached, the last time it confirmed the
	 * state the decision was made from; else null
	 */
	public record RevisionedDecision(Decision decision, long revision, Instant staleSince) {
	}

}
