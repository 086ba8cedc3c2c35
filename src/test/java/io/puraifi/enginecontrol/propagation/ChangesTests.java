package io.puraifi.enginecontrol.propagation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How fresh a replica's state is: confirmed by each reconcile that finds every change
 * applied, stale when the store refuses, hangs or a missed change cannot be applied, and
 * unusable past {@code max-staleness}.
 */
class ChangesTests {

	private static final Instant T0 = Instant.parse("2026-11-25T20:00:00Z");

	private final FakeRepository repository = new FakeRepository();

	private Instant now = T0;

	private final Clock clock = new Clock() {
		@Override
		public Instant instant() {
			return ChangesTests.this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}
	};

	private Changes changes = changes();

	/** A replica that starts at the fake store's revision now. */
	private Changes changes() {
		return new Changes(this.repository, null, this.clock, Duration.ofMillis(500), Duration.ofMinutes(5));
	}

	@Test
	void reconcileThatReachesTheStoreKeepsTheStateFresh() {
		this.now = T0.plusSeconds(60);
		this.changes.reconcile();
		this.now = T0.plusSeconds(62);
		assertThat(this.changes.staleSince(this.now)).isNull();
		assertThat(this.changes.requireUsableState(this.now)).isNull();
	}

	@Test
	void storeThatRefusesMakesTheStateStaleAtOnceFromTheLastConfirmation() {
		this.now = T0.plusSeconds(10);
		this.changes.reconcile();
		this.repository.down = true;
		this.now = T0.plusSeconds(11);
		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(this.changes::reconcile);
		assertThat(this.changes.staleSince(this.now)).isEqualTo(T0.plusSeconds(10));
		assertThat(this.changes.requireUsableState(this.now)).isEqualTo(T0.plusSeconds(10));
	}

	@Test
	void storeThatHangsMakesTheStateStaleOnceNoReconcileConfirmedItForTheIntervalAndMargin() {
		this.now = T0.plusMillis(5_400);
		assertThat(this.changes.staleSince(this.now)).isNull();
		this.now = T0.plusMillis(5_600);
		assertThat(this.changes.staleSince(this.now)).isEqualTo(T0);
	}

	@Test
	void missedChangesThatCannotBeAppliedDoNotCountAsConfirmed() {
		this.now = T0.plusSeconds(1);
		this.repository.revision = 3;
		this.repository.changesFail = true;
		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(this.changes::reconcile);
		this.now = T0.plusSeconds(10);
		assertThat(this.changes.staleSince(this.now)).isEqualTo(T0);
	}

	@Test
	void pastMaxStalenessNothingIsAnsweredFromCachedState() {
		this.repository.down = true;
		this.now = T0.plusSeconds(1);
		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(this.changes::reconcile);
		this.now = T0.plus(Duration.ofMinutes(5));
		assertThat(this.changes.requireUsableState(this.now)).isEqualTo(T0);
		this.now = T0.plus(Duration.ofMinutes(5)).plusMillis(1);
		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> this.changes.requireUsableState(this.now))
			.satisfies((ex) -> {
				assertThat(ex.type()).isEqualTo(ProblemType.STORE_UNAVAILABLE);
				assertThat(ex.properties()).containsEntry("allowed", false);
			});
		this.repository.down = false;
		this.changes.reconcile();
		assertThat(this.changes.requireUsableState(this.now)).isNull();
	}

	@Test
	void revisionAboveTheStoreIsRefusedWithoutWaitingNamingTheStoreRevision() {
		this.repository.revision = 5;
		this.changes = changes();
		this.repository.revision = 6;
		long start = System.nanoTime();
		RevisionWait waited = this.changes.awaitRevision(List.of(Long.MAX_VALUE), Duration.ofSeconds(30));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		assertThat(waited).isEqualTo(new RevisionWait(5, 6));
		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> waited.require(Long.MAX_VALUE))
			.satisfies((ex) -> {
				assertThat(ex.type()).isEqualTo(ProblemType.INVALID_REQUEST);
				assertThat(ex.properties()).containsEntry("current_revision", 6L);
				assertThat(ex.getMessage()).contains("above the store's current revision 6");
			});
		waited.require(5);
	}

	@Test
	void reachableRevisionIsWaitedForUntilChangeFollowingAppliesIt() throws Exception {
		this.repository.revision = 1;
		CompletableFuture<RevisionWait> waiting = CompletableFuture
			.supplyAsync(() -> this.changes.awaitRevision(List.of(1L, 99L), Duration.ofSeconds(30)));
		Thread.sleep(100);
		assertThat(waiting).isNotDone();
		this.changes.accept(new Change(1, ChangeKind.ENGINE, "mailer"));
		RevisionWait waited = waiting.get(5, TimeUnit.SECONDS);
		assertThat(waited).isEqualTo(new RevisionWait(1, 1));
		waited.require(1);
		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> waited.require(99))
			.satisfies((ex) -> assertThat(ex.type()).isEqualTo(ProblemType.INVALID_REQUEST));
	}

	@Test
	void revisionTheStoreHasButThisReplicaDidNotApplyInTimeIsUnavailable() {
		this.repository.revision = 3;
		RevisionWait waited = this.changes.awaitRevision(List.of(3L), Duration.ofMillis(50));
		assertThat(waited).isEqualTo(new RevisionWait(0, 3));
		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> waited.require(3))
			.satisfies((ex) -> assertThat(ex.type()).isEqualTo(ProblemType.SERVICE_UNAVAILABLE));
	}

	@Test
	void revisionAlreadyAppliedNeedsNoStoreRead() {
		this.repository.down = true;
		assertThat(this.changes.awaitRevision(List.of(0L), Duration.ofSeconds(30))).isEqualTo(new RevisionWait(0, 0));
	}

	@Test
	void revisionWhenTheStoreCannotSayIsNotAGuess() {
		this.repository.down = true;
		RevisionWait waited = this.changes.awaitRevision(List.of(1L), Duration.ofSeconds(30));
		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> waited.require(1))
			.satisfies((ex) -> assertThat(ex.type()).isEqualTo(ProblemType.STORE_UNAVAILABLE));
	}

	private static final class FakeRepository implements ChangeRepository {

		boolean down;

		boolean changesFail;

		long revision;

		@Override
		public Change append(ChangeKind kind, String key) {
			throw new UnsupportedOperationException();
		}

		@Override
		public long currentRevision() {
			if (this.down) {
				throw new DataAccessResourceFailureException("store down");
			}
			return this.revision;
		}

		@Override
		public List<Change> changesAfter(long revision, int limit) {
			if (this.changesFail) {
				throw new DataAccessResourceFailureException("store down");
			}
			return new ArrayList<>();
		}

		@Override
		public long oldestLoggedRevision() {
			return 1;
		}

		@Override
		public int deleteOldest(Instant changedBefore, long belowRevision, Instant keptAfter, int limit) {
			throw new UnsupportedOperationException();
		}

	}

}
