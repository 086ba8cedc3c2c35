package io.puraifi.enginecontrol.propagation;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * Which database the store is: PostgreSQL (several replicas, notifications) or anything
 * else (the embedded single-instance default).
 */
@Component
public class StoreDialect {

	private final boolean postgres;

	StoreDialect(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			this.postgres = connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException("Cannot reach the store to learn its kind", ex);
		}
	}

	public boolean isPostgres() {
		return this.postgres;
	}

}
