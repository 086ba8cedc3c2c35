package io.puraifi.enginecontrol.system;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named daemon thread that runs background work with a fixed delay: a task runs one
 * interval after it is scheduled, then one interval after its previous run ended, so a
 * slow run never piles up behind itself. Daemon, so it never keeps the JVM alive; the
 * owner's {@code SmartLifecycle.stop()} calls {@link #stop()}.
 */
public final class BackgroundScheduler {

	private static final Logger logger = LoggerFactory.getLogger(BackgroundScheduler.class);

	private final ScheduledExecutorService executor;

	/**
	 * Starts the thread.
	 * @param threadName the thread's name, as seen in thread dumps
	 */
	public BackgroundScheduler(String threadName) {
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, threadName);
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Runs a task every interval, with a fixed delay between runs. A run that throws is
	 * logged and the next one still comes: the executor would otherwise cancel every
	 * later run without a word (retention, reconciling, key-use flushes stopping for
	 * good).
	 * @param interval the delay before the first run and between two runs
	 * @param task the work
	 */
	public void every(Duration interval, Runnable task) {
		long millis = interval.toMillis();
		this.executor.scheduleWithFixedDelay(() -> {
			try {
				task.run();
			}
			catch (Throwable ex) {
				logger.error("background task failed; it runs again in {}", interval, ex);
			}
		}, millis, millis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Runs no more tasks, interrupts a running one and waits up to 10 s for it to end, so
	 * that what the owner does next (a last flush) never runs beside it.
	 */
	public void stop() {
		this.executor.shutdownNow();
		try {
			if (!this.executor.awaitTermination(10, TimeUnit.SECONDS)) {
				logger.warn("a background task did not end within 10 s of being stopped");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
