package io.puraifi.enginecontrol.propagation;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

/**
 * What a wait for a revision ({@link Changes#awaitRevision}) found: the revision this
 * replica had applied when it ended, and the store's revision when it began. A request
 * waits once, for its highest {@code min_revision}; each of its checks then holds its own
 * {@code min_revision} against the result.
 *
 * @param reached the revision applied here when the wait ended
 * @param store the store's revision, {@link #UNKNOWN} when the store could not be read
 */
public record RevisionWait(long reached, long store) {

	/** The store's revision when it could not be read. */
	static final long UNKNOWN = -1;

	/** Nothing was asked for: every check may go on. */
	public static final RevisionWait NONE = new RevisionWait(Long.MAX_VALUE, Long.MAX_VALUE);

	/**
	 * Refuses a check whose {@code min_revision} was not reached.
	 * @param minRevision the check's {@code min_revision}
	 * @throws ProblemException {@code invalid-request} (400) naming the store's revision
	 * when the store has not reached it either: waiting cannot help;
	 * {@code service-unavailable} (503) when the store has it and this replica did not
	 * apply it in time; {@code store-unavailable} (503) when the store could not say
	 */
	public void require(long minRevision) {
		if (minRevision <= this.reached) {
			return;
		}
		if (this.store == UNKNOWN) {
			throw Changes.storeUnavailable("The store cannot be reached to learn whether revision " + minRevision
					+ " exists; this replica is at revision " + this.reached + ", so it cannot decide this check");
		}
		if (minRevision > this.store) {
			String message = "must be at most the store's current revision " + this.store;
			throw new ProblemException(ProblemType.INVALID_REQUEST,
					"min_revision " + minRevision + " is above the store's current revision " + this.store
							+ ": send a revision this service gave out (the X-Store-Revision header of a write)",
					Map.of("current_revision", this.store, "errors",
							List.of(Map.of("field", "min_revision", "message", message))));
		}
		throw new ProblemException(
				ProblemType.SERVICE_UNAVAILABLE, "This replica is at revision " + this.reached
						+ " and did not reach revision " + minRevision + " in time",
				Map.of("revision", this.reached), Duration.ofSeconds(1));
	}

}
