package io.puraifi.enginecontrol.propagation;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.system.BackgroundScheduler;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.Phases;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps this replica's caches following the store. On PostgreSQL a dedicated connection
 * listens for change notifications and applies them as they arrive; a lost connection is
 * reopened, and what was missed meanwhile is reconciled. On every store, a reconcile
 * compares revisions periodically, so a change is applied within one reconcile interval
 * even when no notification arrives. Reported in health as {@code propagation}.
 */
@Component("propagation")
class ChangeFollower implements SmartLifecycle, HealthIndicator {

	private static final Logger log = LoggerFactory.getLogger(ChangeFollower.class);

	private static final Duration POLL = Duration.ofMillis(250);

	private final Changes changes;

	private final DataSource dataSource;

	private final boolean postgres;

	private final Duration reconcileInterval;

	private volatile boolean running;

	private volatile boolean listening;

	private volatile boolean reconcileFailing;

	private volatile Instant lastReconcile;

	private BackgroundScheduler reconciler;

	private Thread listener;

	ChangeFollower(Changes changes, DataSource dataSource, StoreDialect dialect, EngineControlProperties properties) {
		this.changes = changes;
		this.dataSource = dataSource;
		this.postgres = dialect.isPostgres();
		this.reconcileInterval = properties.propagation().reconcileInterval();
	}

	@Override
	public void start() {
		this.running = true;
		this.reconciler = new BackgroundScheduler("change-reconciler");
		this.reconciler.every(this.reconcileInterval, this::reconcile);
		if (this.postgres) {
			this.listener = new Thread(this::listen, "change-listener");
			this.listener.setDaemon(true);
			this.listener.start();
		}
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.reconciler != null) {
			this.reconciler.stop();
		}
		if (this.listener != null) {
			this.listener.interrupt();
		}
	}

	@Override
	public int getPhase() {
		return Phases.BACKGROUND;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public Health health() {
		Health.Builder health = (this.postgres && !this.listening) || this.reconcileFailing ? Health.down()
				: Health.up();
		return health.withDetail("revision", this.changes.revision())
			.withDetail("listener", this.postgres ? (this.listening ? "listening" : "reconnecting") : "not used")
			.withDetail("last_reconcile", String.valueOf(this.lastReconcile))
			.withDetail("stale_since", String.valueOf(this.changes.staleSince(Instant.now())))
			.build();
	}

	private void reconcile() {
		try {
			this.changes.reconcile();
			this.lastReconcile = Instant.now();
			if (this.reconcileFailing) {
				log.info("reconcile recovered");
			}
			this.reconcileFailing = false;
		}
		catch (RuntimeException ex) {
			if (!this.reconcileFailing) {
				log.atWarn().setCause(ex).log("reconcile failed; retrying every interval");
			}
			this.reconcileFailing = true;
		}
	}

	private void listen() {
		long backoff = POLL.toMillis();
		while (this.running) {
			try (Connection connection = this.dataSource.getConnection()) {
				connection.setAutoCommit(true);
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN " + JdbcChangeRepository.CHANNEL);
				}
				PGConnection pg = connection.unwrap(PGConnection.class);
				this.listening = true;
				backoff = POLL.toMillis();
				log.info("listening for changes from other replicas");
				this.changes.reconcile();
				while (this.running) {
					PGNotification[] notifications = pg.getNotifications((int) POLL.toMillis());
					if (notifications != null) {
						for (PGNotification notification : notifications) {
							this.changes.accept(Change.fromPayload(notification.getParameter()));
						}
					}
				}
			}
			catch (Exception ex) {
				if (!this.running) {
					return;
				}
				if (this.listening) {
					log.atWarn().setCause(ex).log("lost the change listener connection; reconnecting");
				}
				this.listening = false;
				sleep(backoff);
				backoff = Math.min(backoff * 2, 5_000);
			}
		}
		this.listening = false;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
