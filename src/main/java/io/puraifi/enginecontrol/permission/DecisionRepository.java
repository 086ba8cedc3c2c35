package io.puraifi.enginecontrol.permission;

import java.time.Instant;
import java.util.List;

/**
 * Durable store of decision records.
 */
public interface DecisionRepository {

	/**
	 * Stores records in one transaction.
	 * @param records the records; their ids are ignored
	 * @return the ids given to them, in the same order
	 */
	List<Long> insertAll(List<DecisionRecord> records);

	/**
	 * Sets the count and last time of stored records in one transaction. A record that is
	 * gone (deleted by retention) is skipped.
	 * @param updates the new values
	 */
	void updateCounts(List<CountUpdate> updates);

	/**
	 * Records newest first.
	 * @param query filters; null fields do not filter
	 * @return at most {@code query.limit()} records
	 */
	List<DecisionRecord> find(DecisionQuery query);

	/**
	 * Deletes records whose first decision was made before a time.
	 * @param cutoff the time
	 * @param limit most records deleted
	 * @return how many were deleted
	 */
	int deleteDecidedBefore(Instant cutoff, int limit);

	/**
	 * The id of the newest record beyond the newest {@code keep} ones.
	 * @param keep how many records to keep
	 * @return the id, or null when there are no more than {@code keep} records
	 */
	Long newestBeyond(long keep);

	/**
	 * Deletes the oldest records with an id up to and including a given one.
	 * @param decisionId the largest id deleted
	 * @param limit most records deleted
	 * @return how many were deleted
	 */
	int deleteUpTo(long decisionId, int limit);

	/**
	 * New count and last time of a stored record.
	 *
	 * @param decisionId the record
	 * @param count how many decisions it stands for
	 * @param lastAt when the last of them was made
	 */
	record CountUpdate(long decisionId, long count, Instant lastAt) {
	}

	/**
	 * Filters for stored decisions.
	 *
	 * @param engineId only decisions made by or about this engine
	 * @param platform only this platform
	 * @param reason only this reason
	 * @param status only this status
	 * @param since only decided at or after
	 * @param until only decided before
	 * @param before only records with a smaller id (the cursor)
	 * @param limit most records
	 * @param shadow true for only records with shadow denials, false for only those
	 * without, null for both
	 */
	record DecisionQuery(String engineId, String platform, String reason, String status, Instant since, Instant until,
			Long before, int limit, Boolean shadow) {

		public DecisionQuery(String engineId, String platform, String reason, String status, Instant since,
				Instant until, Long before, int limit) {
			this(engineId, platform, reason, status, since, until, before, limit, null);
		}

	}

}
