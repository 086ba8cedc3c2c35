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
	 */
	void insertAll(List<DecisionRecord> records);

	/**
	 * Records newest first.
	 * @param query filters; null fields do not filter
	 * @return at most {@code query.limit()} records
	 */
	List<DecisionRecord> find(DecisionQuery query);

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
	 */
	record DecisionQuery(String engineId, String platform, String reason, String status, Instant since, Instant until,
			Long before, int limit) {
	}

}
