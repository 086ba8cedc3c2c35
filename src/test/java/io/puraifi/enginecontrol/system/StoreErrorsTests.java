package io.puraifi.enginecontrol.system;

import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.UnexpectedRollbackException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which store errors are an outage (503, retry) and which are not (500).
 */
class StoreErrorsTests {

	@Test
	void aStoreThatIsAwayIsAnOutage() {
		for (RuntimeException ex : List.of(new CannotGetJdbcConnectionException("no connection"),
				new CannotCreateTransactionException("no connection"), new QueryTimeoutException("timed out"),
				new RecoverableDataAccessException("connection lost"))) {
			assertThat(StoreErrors.isOutage(ex)).as(ex.getClass().getSimpleName()).isTrue();
		}
	}

	@Test
	void aStoreThatRefusesTheStatementIsNot() {
		for (RuntimeException ex : List.of(new DuplicateKeyException("duplicate"),
				new DataIntegrityViolationException("constraint"),
				new BadSqlGrammarException("select", "select x", new SQLException("syntax")),
				new UnexpectedRollbackException("rolled back"), new TransactionSystemException("commit unknown"),
				new IllegalStateException("not a store error"))) {
			assertThat(StoreErrors.isOutage(ex)).as(ex.getClass().getSimpleName()).isFalse();
		}
	}

}
