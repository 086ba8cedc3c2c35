package io.puraifi.enginecontrol.system;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * A background job that deletes what a retention bound no longer keeps: run with a fixed
 * delay between runs on its own daemon thread, in {@link Phases#BACKGROUND}. A failed run
 * (the store is away or refuses writes) is logged once per run and retried at the next
 * interval; {@link #purge()} deletes in batches and checks {@link #stopping()} between
 * them, so no statement holds locks for long and shutdown is not held up.
 */
public abstract class RetentionJob implements SmartLifecycle {

	private final Logger log = LoggerFactory.getLogger(getClass());

	private final String name;

	private final Duration interval;

	private volatile boolean running;

	private volatile boolean stopping;

	private BackgroundScheduler scheduler;

	/**
	 * A job.
	 * @param name the thread's name, also used in log lines
	 * @param interval pause between two runs
	 */
	protected RetentionJob(String name, Duration interval) {
		this.name = name;
		this.interval = interval;
	}

	/**
	 * Deletes what is no longer kept, batch by batch.
	 * @return how many rows were deleted
	 */
	protected abstract long purge();

	/**
	 * Whether the job runs at all (a bound that keeps everything needs no job).
	 */
	protected boolean enabled() {
		return true;
	}

	/**
	 * Whether the application is stopping: a purge ends after its current batch.
	 */
	protected final boolean stopping() {
		return this.stopping;
	}

	private void run() {
		try {
			purge();
		}
		catch (RuntimeException ex) {
			this.log.atWarn()
				.addKeyValue("cause", ex.getClass().getSimpleName())
				.log("{} run failed; retrying at the next interval", this.name);
		}
	}

	@Override
	public void start() {
		this.running = true;
		this.stopping = false;
		if (!enabled()) {
			return;
		}
		this.scheduler = new BackgroundScheduler(this.name);
		this.scheduler.every(this.interval, this::run);
	}

	@Override
	public void stop() {
		this.stopping = true;
		this.running = false;
		if (this.scheduler != null) {
			this.scheduler.stop();
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

}
