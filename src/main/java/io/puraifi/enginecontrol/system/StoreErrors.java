package io.puraifi.enginecontrol.system;

import java.sql.SQLException;
import java.util.Set;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Which store errors mean that the store is away: it cannot be reached, gave no
 * connection in time, or lost one; or it refuses writes (disk full, quota, read-only, the
 * application's user lost its rights), which an operator fixes without touching Engine
 * Control. Only those are answered {@code 503 store-unavailable} (a check fails closed, a
 * write can be retried); any other store error (a constraint, a rollback, a commit whose
 * outcome is unknown) is a {@code 500}, since a retry would not help and "nothing was
 * changed" may be false.
 */
public final class StoreErrors {

	/**
	 * SQLStates of a store that refuses a statement for want of room, write access or
	 * rights. PostgreSQL: 25006 read_only_sql_transaction, 42501 insufficient_privilege
	 * (class 53, insufficient resources, is matched by its prefix). H2 (its error code is
	 * its SQLState): 90096 not enough rights, 90097 database is read-only, 90028 and
	 * 90031 I/O error (a full disk or a quota), 90098 database closed (H2 closes it when
	 * a write to its file fails).
	 */
	private static final Set<String> REFUSALS = Set.of("25006", "42501", "90096", "90097", "90028", "90031", "90098");

	/** PostgreSQL class 53: disk_full (53100), out_of_memory, too_many_connections... */
	private static final String INSUFFICIENT_RESOURCES = "53";

	/** Causes looked at, at most: chains are short, and a cycle must not loop. */
	private static final int MAX_DEPTH = 16;

	private StoreErrors() {
	}

	/**
	 * Whether an error means that the store is away.
	 * @param ex the error
	 * @return whether it is an outage
	 */
	public static boolean isOutage(Throwable ex) {
		if (ex instanceof TransactionSystemException failed && failed.getApplicationException() != null) {
			// The rollback after a failed statement failed too (the connection was lost
			// meanwhile): nothing committed, and the statement's error says what
			// happened.
			return isOutage(failed.getApplicationException());
		}
		return ex instanceof DataAccessResourceFailureException || ex instanceof TransientDataAccessException
				|| ex instanceof RecoverableDataAccessException || ex instanceof CannotCreateTransactionException
				|| refusesWrites(ex);
	}

	/**
	 * Whether an error means that the store refuses writes: it is full, over a quota,
	 * read-only, or the application's user may no longer write. Nothing was changed.
	 * @param ex the error
	 * @return whether the store refused the statement
	 */
	public static boolean refusesWrites(Throwable ex) {
		Throwable cause = ex;
		for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				String state = sql.getSQLState();
				if (state.startsWith(INSUFFICIENT_RESOURCES) || REFUSALS.contains(state)) {
					return true;
				}
			}
			cause = cause.getCause();
		}
		return false;
	}

}
