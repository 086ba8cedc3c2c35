package io.puraifi.enginecontrol.quota;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.system.BackgroundScheduler;
import io.puraifi.enginecontrol.system.Phases;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The ledger's background work: gives back units of idle holdings every
 * {@link #IDLE_SWEEP_INTERVAL}, deletes counters of ended windows every
 * {@link #RETENTION_INTERVAL}, and on shutdown (after the web server has drained its
 * requests) gives back every unit this replica holds, so other replicas can spend them.
 */
@Component
class QuotaMaintenance implements SmartLifecycle {

	static final Duration IDLE_SWEEP_INTERVAL = Duration.ofMillis(250);

	static final Duration RETENTION_INTERVAL = Duration.ofMinutes(10);

	private static final Logger log = LoggerFactory.getLogger(QuotaMaintenance.class);

	private final QuotaLedger ledger;

	private final QuotaUsageRepository usage;

	private final Clock clock;

	private volatile boolean running;

	private BackgroundScheduler scheduler;

	QuotaMaintenance(QuotaLedger ledger, QuotaUsageRepository usage, Clock clock) {
		this.ledger = ledger;
		this.usage = usage;
		this.clock = clock;
	}

	void giveBackIdle() {
		try {
			this.ledger.giveBackIdle(this.clock.instant());
		}
		catch (RuntimeException ex) {
			log.atWarn().log("quota idle give-back failed; retrying at the next interval");
		}
	}

	int deleteEndedWindows() {
		try {
			return this.usage.deleteEndedBefore(this.clock.instant());
		}
		catch (RuntimeException ex) {
			log.atWarn().log("quota usage retention failed; retrying at the next interval");
			return 0;
		}
	}

	@Override
	public void start() {
		this.running = true;
		this.scheduler = new BackgroundScheduler("quota-maintenance");
		this.scheduler.every(IDLE_SWEEP_INTERVAL, this::giveBackIdle);
		this.scheduler.every(RETENTION_INTERVAL, this::deleteEndedWindows);
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.scheduler != null) {
			this.scheduler.stop();
		}
		this.ledger.giveBackAll(this.clock.instant());
	}

	@Override
	public int getPhase() {
		return Phases.BACKGROUND;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
