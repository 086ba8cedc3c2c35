package io.puraifi.enginecontrol.audit;

import java.time.Instant;
import java.util.List;

/**
 * Durable store of the operators' audit trail.
 */
public interface AuditRepository {

	void insert(AuditEntry entry);

	/**
	 * Entries newest first.
	 * @param query filters; null fields do not filter
	 * @return at most {@code query.limit()} entries
	 */
	List<AuditEntry> find(AuditQuery query);

	/**
	 * Deletes the oldest entries that occurred before a time, at most {@code limit}.
	 * @param cutoff entries that occurred before this go
	 * @param limit most entries deleted
	 * @return how many were deleted
	 */
	int deleteOccurredBefore(Instant cutoff, int limit);

	/**
	 * Filters for the audit trail.
	 *
	 * @param actor only this operator
	 * @param targetType only this kind of target
	 * @param targetId only this target
	 * @param since only at or after
	 * @param until only before
	 * @param before only entries with a smaller id (the cursor)
	 * @param limit most entries
	 */
	record AuditQuery(String actor, String targetType, String targetId, Instant since, Instant until, Long before,
			int limit) {
	}

}
