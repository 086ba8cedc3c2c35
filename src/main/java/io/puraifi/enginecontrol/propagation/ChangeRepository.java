package io.puraifi.enginecontrol.propagation;

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

}
