package io.puraifi.enginecontrol.permission;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

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
 * @param flag the kill switch that denied it, if one did; {@code quota:<name>} for the
 * quota rule that denied it
 * @param revision the store revision the decision was made at, null for errors
 * @param decidedAt when
 * @param durationUs how long the decision took, in microseconds
 * @param count how many identical decisions this record stands for (1 unless identical
 * denials or errors were aggregated; request_id, correlation_id, revision and duration
 * are then the first one's)
 * @param lastAt when the last of them was made ({@code decidedAt} when count is 1)
 * @param shadow the shadow rules that would have denied the decision; empty when none
 */
public record DecisionRecord(long decisionId, String requestId, String correlationId, String engineId,
		String subjectEngineId, String platform, String actionType, String status, String reason, String flag,
		Long revision, Instant decidedAt, long durationUs, long count, Instant lastAt,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<Decision.ShadowDenial> shadow) {

	public DecisionRecord {
		shadow = (shadow != null) ? List.copyOf(shadow) : List.of();
	}

	/**
	 * A record without shadow denials.
	 */
	public DecisionRecord(long decisionId, String requestId, String correlationId, String engineId,
			String subjectEngineId, String platform, String actionType, String status, String reason, String flag,
			Long revision, Instant decidedAt, long durationUs, long count, Instant lastAt) {
		this(decisionId, requestId, correlationId, engineId, subjectEngineId, platform, actionType, status, reason,
				flag, revision, decidedAt, durationUs, count, lastAt, List.of());
	}

	/**
	 * One decision, not aggregated, with the shadow rules that would have denied it.
	 */
	public DecisionRecord(long decisionId, String requestId, String correlationId, String engineId,
			String subjectEngineId, String platform, String actionType, String status, String reason, String flag,
			Long revision, Instant decidedAt, long durationUs, List<Decision.ShadowDenial> shadow) {
		this(decisionId, requestId, correlationId, engineId, subjectEngineId, platform, actionType, status, reason,
				flag, revision, decidedAt, durationUs, 1, decidedAt, shadow);
	}

	static final String ALLOWED = "allowed";

	static final String DENIED = "denied";

	static final String ERROR = "error";

	/**
	 * One decision, not aggregated.
	 */
	public DecisionRecord(long decisionId, String requestId, String correlationId, String engineId,
			String subjectEngineId, String platform, String actionType, String status, String reason, String flag,
			Long revision, Instant decidedAt, long durationUs) {
		this(decisionId, requestId, correlationId, engineId, subjectEngineId, platform, actionType, status, reason,
				flag, revision, decidedAt, durationUs, 1, decidedAt);
	}

	/**
	 * When the first of the decisions this record stands for was made: the same as
	 * {@code decided_at}.
	 */
	@JsonProperty("first_at")
	public Instant firstAt() {
		return this.decidedAt;
	}

	DecisionRecord decidedAt(Instant instant) {
		return new DecisionRecord(this.decisionId, this.requestId, this.correlationId, this.engineId,
				this.subjectEngineId, this.platform, this.actionType, this.status, this.reason, this.flag,
				this.revision, instant, this.durationUs, 1, instant, this.shadow);
	}

}
