package io.puraifi.enginecontrol.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Migrated databases for repository and integration tests. H2 databases live in memory,
 * one per caller. PostgreSQL is one embedded server per JVM, started on first use and
 * stopped by its own shutdown hook; each caller gets a fresh database on it, so test
 * classes never see each other's rows.
 */
public final class TestDatabases {

	private static final AtomicInteger sequence = new AtomicInteger();

	private static EmbeddedPostgres postgres;

	private TestDatabases() {
	}

	/**
	 * A new, migrated in-memory H2 database.
	 * @param owner the test class, to name the database
	 * @return the database
	 */
	public static TestDatabase h2(Class<?> owner) {
		String url = "jdbc:h2:mem:" + databaseName(owner) + ";DB_CLOSE_DELAY=-1";
		return migrate(new TestDatabase(url, "sa", ""));
	}

	/**
	 * A new, migrated database on the shared embedded PostgreSQL server.
	 * @param owner the test class, to name the database
	 * @return the database
	 */
	public static TestDatabase postgres(Class<?> owner) {
		return migrate(emptyPostgres(owner));
	}

	/**
	 * A new, empty database on the shared embedded PostgreSQL server, for an application
	 * that runs its own migrations.
	 * @param owner the test class, to name the database
	 * @return the database
	 */
	public static TestDatabase emptyPostgres(Class<?> owner) {
		EmbeddedPostgres server = postgresServer();
		String name = databaseName(owner);
		JdbcClient.create(server.getPostgresDatabase()).sql("create database " + name).update();
		return new TestDatabase(server.getJdbcUrl("postgres", name), "postgres", "postgres");
	}

	private static synchronized EmbeddedPostgres postgresServer() {
		if (postgres == null) {
			try {
				postgres = EmbeddedPostgres.builder().start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Embedded PostgreSQL did not start", ex);
			}
		}
		return postgres;
	}

	private static String databaseName(Class<?> owner) {
		String base = owner.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
		String unique = UUID.randomUUID().toString().substring(0, 8);
		return "t" + sequence.incrementAndGet() + "_" + base + "_" + unique;
	}

	private static TestDatabase migrate(TestDatabase database) {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/migration").load().migrate();
		return database;
	}

	/**
	 * A migrated database and how to reach it. Its repositories must share
	 * {@link #dataSource()} with the transaction manager, so there is one instance.
	 */
	public static final class TestDatabase {

		private final String url;

		private final String username;

		private final String password;

		private final DataSource dataSource;

		TestDatabase(String url, String username, String password) {
			this.url = url;
			this.username = username;
			this.password = password;
			this.dataSource = new DriverManagerDataSource(url, username, password);
		}

		public String url() {
			return this.url;
		}

		public String username() {
			return this.username;
		}

		public String password() {
			return this.password;
		}

		public DataSource dataSource() {
			return this.dataSource;
		}

		public JdbcClient jdbcClient() {
			return JdbcClient.create(this.dataSource);
		}

		public TransactionTemplate transactionTemplate() {
			return new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
		}

	}

}
