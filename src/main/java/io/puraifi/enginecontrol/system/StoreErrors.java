package io.puraifi.enginecontrol.system;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Which store errors mean that the store is away: it cannot be reached, gave no
 * connection in time, or lost one. Only those are answered {@code 503 store-unavailable}
 * (a check fails closed, a write can be retried); any other store error (a constraint, a
 * rollback, a commit whose outcome is unknown) is a {@code 500}, since a retry would not
 * help and "nothing was changed" may be false.
 */
public final class StoreErrors {

	private StoreErrors() {
	}

	/**
	 * Whether an error means that the store is away.
	 * @param ex the error
	 * @return whether it is an outage
	 */
	public static boolean isOutage(Throwable ex) {
		return ex instanceof DataAccessResourceFailureException || ex instanceof TransientDataAccessException
				|| ex instanceof RecoverableDataAccessException || ex instanceof CannotCreateTransactionException;
	}

}
