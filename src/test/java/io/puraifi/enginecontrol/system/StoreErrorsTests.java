package io.puraifi.enginecontrol.system;

import java.sql.SQLException;
import java.util.List;

import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.UnexpectedRollbackException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Which store errors are an outage (503, retry) and which are not (500). A store that
 * refuses writes is one, shown with real refusals of H2 and PostgreSQL.
 */
class StoreErrorsTests {

	private static final String INSERT_FLAG = """
			insert into feature_flag (name, enabled, updated_at) values (:name, true, current_timestamp)""";

	@Test
	void aStoreThatIsAwayIsAnOutage() {
		for (RuntimeException ex : List.of(new CannotGetJdbcConnectionException("no connection"),
				new CannotCreateTransactionException("no connection"), new QueryTimeoutException("timed out"),
				new RecoverableDataAccessException("connection lost"))) {
			assertThat(StoreErrors.isOutage(ex)).as(ex.getClass().getSimpleName()).isTrue();
		}
	}

	@Test
	void aFailedRollbackAfterAnOutageIsAnOutage() {
		TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed");
		rollbackFailed.initApplicationException(new RecoverableDataAccessException("connection lost"));
		assertThat(StoreErrors.isOutage(rollbackFailed)).isTrue();
		TransactionSystemException afterConstraint = new TransactionSystemException("JDBC rollback failed");
		afterConstraint.initApplicationException(new DuplicateKeyException("duplicate"));
		assertThat(StoreErrors.isOutage(afterConstraint)).isFalse();
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

	@Test
	void aStoreThatRefusesWritesIsAnOutageByItsSqlState() {
		for (String state : List.of("53100", "53000", "53200", "53300", "25006", "42501", "90096", "90097", "90028",
				"90031", "90098")) {
			RuntimeException ex = new UncategorizedSQLException("insert", "insert into x",
					new SQLException("refused", state));
			assertThat(StoreErrors.refusesWrites(ex)).as(state).isTrue();
			assertThat(StoreErrors.isOutage(ex)).as(state).isTrue();
		}
		for (String state : List.of("23505", "22001", "42601", "40001", "90040")) {
			RuntimeException ex = new UncategorizedSQLException("insert", "insert into x",
					new SQLException("refused", state));
			assertThat(StoreErrors.isOutage(ex)).as(state).isFalse();
		}
		assertThat(StoreErrors
			.isOutage(new UncategorizedSQLException("insert", "insert into x", new SQLException("no state"))))
			.isFalse();
	}

	@Test
	void h2RefusingWritesToAUserWithoutRightsIsAnOutage() {
		TestDatabase database = TestDatabases.h2(StoreErrorsTests.class);
		JdbcClient owner = database.jdbcClient();
		owner.sql("create user store_errors_app password 'app'").update();
		owner.sql("grant select, insert, update, delete on schema public to store_errors_app").update();
		// Settings in the URL need admin rights, so the user connects without them.
		String url = database.url().replace(";DB_CLOSE_DELAY=-1", "");
		try (SingleConnectionDataSource dataSource = new SingleConnectionDataSource(url, "store_errors_app", "app",
				true)) {
			JdbcClient app = JdbcClient.create(dataSource);
			app.sql(INSERT_FLAG).param("name", "before").update();
			owner.sql("revoke insert, update, delete on schema public from store_errors_app").update();
			DataAccessException refused = catchThrowableOfType(DataAccessException.class,
					() -> app.sql(INSERT_FLAG).param("name", "refused").update());
			assertThat(StoreErrors.isOutage(refused)).as(refused.toString()).isTrue();
			assertThat(app.sql("select count(*) from feature_flag where name = 'before'").query(Long.class).single())
				.isOne();
		}
	}

	@Test
	void postgresReadOnlyAndWithoutRightsIsAnOutage() {
		TestDatabase database = TestDatabases.postgres(StoreErrorsTests.class);
		String name = database.url().replaceAll(".*/([^/?]+).*", "$1");
		try (SingleConnectionDataSource superuser = new SingleConnectionDataSource(database.url(), database.username(),
				database.password(), true)) {
			JdbcClient owner = JdbcClient.create(superuser);
			owner.sql("create role store_errors_app login password 'app'").update();
			owner.sql("grant select, insert, update, delete on all tables in schema public to store_errors_app")
				.update();
			String url = database.url().replaceAll("\\?.*", "");
			try (SingleConnectionDataSource appSource = new SingleConnectionDataSource(url, "store_errors_app", "app",
					true)) {
				JdbcClient app = JdbcClient.create(appSource);
				app.sql(INSERT_FLAG).param("name", "before").update();
				owner.sql("revoke insert, update, delete on all tables in schema public from store_errors_app")
					.update();
				DataAccessException noRights = catchThrowableOfType(DataAccessException.class,
						() -> app.sql(INSERT_FLAG).param("name", "no-rights").update());
				assertThat(StoreErrors.isOutage(noRights)).as(noRights.toString()).isTrue();
			}
			// Read-only applies to connections opened after it.
			owner.sql("alter database " + name + " set default_transaction_read_only = on").update();
			try (SingleConnectionDataSource readOnly = new SingleConnectionDataSource(database.url(),
					database.username(), database.password(), true)) {
				DataAccessException refused = catchThrowableOfType(DataAccessException.class,
						() -> JdbcClient.create(readOnly).sql(INSERT_FLAG).param("name", "read-only").update());
				assertThat(StoreErrors.isOutage(refused)).as(refused.toString()).isTrue();
			}
			finally {
				owner.sql("alter database " + name + " reset default_transaction_read_only").update();
			}
		}
	}

}
