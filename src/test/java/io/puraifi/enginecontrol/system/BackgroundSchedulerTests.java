package io.puraifi.enginecontrol.system;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackgroundSchedulerTests {

	@Test
	void taskRunsRepeatedlyOnOneNamedDaemonThread() throws InterruptedException {
		BackgroundScheduler scheduler = new BackgroundScheduler("test-worker");
		CountDownLatch runs = new CountDownLatch(3);
		AtomicReference<Thread> thread = new AtomicReference<>();
		try {
			scheduler.every(Duration.ofMillis(1), () -> {
				thread.set(Thread.currentThread());
				runs.countDown();
			});
			assertThat(runs.await(30, TimeUnit.SECONDS)).as("three runs").isTrue();
		}
		finally {
			scheduler.stop();
		}
		assertThat(thread.get().getName()).isEqualTo("test-worker");
		assertThat(thread.get().isDaemon()).as("never keeps the JVM alive").isTrue();
	}

	@Test
	void aRunThatThrowsDoesNotStopTheNextRuns() throws InterruptedException {
		BackgroundScheduler scheduler = new BackgroundScheduler("test-worker");
		CountDownLatch runs = new CountDownLatch(3);
		try {
			scheduler.every(Duration.ofMillis(1), () -> {
				runs.countDown();
				throw new AssertionError("an Error escaping the task");
			});
			assertThat(runs.await(30, TimeUnit.SECONDS)).as("runs after the first one threw").isTrue();
		}
		finally {
			scheduler.stop();
		}
	}

	@Test
	void stopInterruptsARunningTask() throws InterruptedException {
		BackgroundScheduler scheduler = new BackgroundScheduler("test-worker");
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		scheduler.every(Duration.ofMillis(1), () -> {
			started.countDown();
			try {
				Thread.sleep(60_000);
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
			}
		});
		assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
		scheduler.stop();
		assertThat(interrupted.await(30, TimeUnit.SECONDS)).as("interrupted by stop").isTrue();
	}

}
