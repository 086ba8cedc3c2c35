package io.puraifi.enginecontrol.permission;

import java.time.Instant;

/**
 * One decision as recorded: the log line of every check, and the stored row of denied
 * decisions and of the operator's.
 *
 * @param decisionId increasing id once stored (the pagination cursor), else 0
 * @param requestId the request that asked
 * @param correlationId the caller's id for one item of a batch, else null
 * @param engineId the authenticated caller
 * @param subjectEngineId the engine the check was about
 * @param platform the platform asked for
 * @param actionType the action asked for
 * @param status {@code allowed}, {@code denied} or {@code error}
 * @param reason a {@link DecisionReason} name, or an error code
 * @param flag the kill switch that denied it, if one did
 * @param revision the store revision the decision was made at, null for errors
 * @param decidedAt when
 * @param durationUs how long the decision took, in microseconds
 */
public record DecisionRecord(long decisionId, String requestId, String correlationId, String engineId,
		String subjectEngineId, String platform, String actionType, String status, String reason, String flag,
		Long revision, Instant decidedAt, long durationUs) {

	static final String ALLOWED = "allowed";

	static final String DENIED = "denied";

	static final String ERROR = "error";

	DecisionRecord decidedAt(Instant instant) {
		return new DecisionRecord(this.decisionId, this.requestId, this.correlationId, this.engineId,
				this.subjectEngineId, this.platform, this.actionType, this.status, this.reason, this.flag,
				this.revision, instant, this.durationUs);
	}

}
