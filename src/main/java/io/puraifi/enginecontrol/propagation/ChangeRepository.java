package io.puraifi.enginecontrol.propagation;

import java.time.Instant;
import java.util.List;

/**
 * The store-wide revision and the log of what each revision changed.
 */
public interface ChangeRepository {

	/**
	 * Bumps the revision and logs the change; must run inside the writer's transaction.
	 * On PostgreSQL it also sends a notification, delivered to listeners at commit.
	 * @param kind what changed
	 * @param key which one
	 * @return the change with its new revision
	 */
	Change append(ChangeKind kind, String key);

	long currentRevision();

	/**
	 * Logged changes after a revision, oldest first.
	 * @param revision the last revision already applied
	 * @param limit most changes to return
	 */
	List<Change> changesAfter(long revision, int limit);

	/**
	 * The oldest revision still in the log, or 0 when the log is empty.
	 */
	long oldestLoggedRevision();

	/**
	 * Deletes the oldest change log entries that are older than a cutoff or below a
	 * revision, but never one changed at or after a floor.
	 * @param changedBefore entries changed before this may go
	 * @param belowRevision entries with a lower revision may go
	 * @param keptAfter entries changed at or after this stay whatever else holds
	 * @param limit most entries deleted
	 * @return how many were deleted
	 */
	int deleteOldest(Instant changedBefore, long belowRevision, Instant keptAfter, int limit);

}
