package io.puraifi.enginecontrol.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What every {@link EnrollmentTokenRepository} store must do. Each database runs these
 * cases through a small subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EnrollmentTokenRepositoryContractTests {

	private static final Instant CREATED = Instant.parse("2025-03-04T05:06:07.123456Z");

	private static final Instant EXPIRES = CREATED.plusSeconds(3600);

	private TestDatabase database;

	private EnrollmentTokenRepository repository;

	private JdbcClient jdbc;

	abstract TestDatabase createDatabase();

	@BeforeAll
	void createRepository() {
		this.database = createDatabase();
		this.jdbc = this.database.jdbcClient();
		this.repository = new JdbcEnrollmentTokenRepository(this.jdbc, this.database.transactionTemplate());
	}

	@BeforeEach
	void deleteTokens() {
		this.jdbc.sql("delete from enrollment_token").update();
	}

	@Test
	void insertThenFindByIdAndByHashWithCeiling() {
		EnrollmentToken token = token("t1", 3);
		this.repository.insert(token, "a".repeat(64));
		assertThat(this.repository.findById("t1")).contains(token);
		assertThat(this.repository.findByHash("a".repeat(64))).contains(token);
		assertThat(this.repository.findById("t1").get().capabilities()).containsOnlyKeys("gmail", "slack");
		assertThat(this.repository.findByHash("b".repeat(64))).isEmpty();
		assertThat(this.repository.findById("nope")).isEmpty();
	}

	@Test
	void insertWhenHashTakenThenDuplicateKeyAndNothingWritten() {
		this.repository.insert(token("t1", 1), "a".repeat(64));
		assertThatExceptionOfType(DuplicateKeyException.class)
			.isThrownBy(() -> this.repository.insert(token("t2", 1), "a".repeat(64)));
		assertThat(this.repository.findById("t2")).isEmpty();
		assertThat(this.jdbc.sql("select count(*) from enrollment_token_grant where token_id = 't2'")
			.query(Integer.class)
			.single()).isZero();
	}

	@Test
	void findAllNewestFirst() {
		this.repository.insert(token("old", 1), "a".repeat(64));
		EnrollmentToken newer = new EnrollmentToken("new", null, Map.of(), 1, CREATED.plusSeconds(1), EXPIRES, "admin");
		this.repository.insert(newer, "b".repeat(64));
		assertThat(this.repository.findAll()).extracting(EnrollmentToken::tokenId).containsExactly("new", "old");
		assertThat(this.repository.findAll().get(0).capabilities()).isEmpty();
	}

	@Test
	void consumeTakesOneUseUntilNoneIsLeft() {
		this.repository.insert(token("t1", 2), "a".repeat(64));
		assertThat(this.repository.consume("t1", CREATED)).isTrue();
		assertThat(this.repository.findById("t1").get().usesLeft()).isEqualTo(1);
		assertThat(this.repository.consume("t1", CREATED)).isTrue();
		assertThat(this.repository.consume("t1", CREATED)).isFalse();
		assertThat(this.repository.findById("t1").get().usesLeft()).isZero();
		assertThat(this.repository.findById("t1").get().uses()).isEqualTo(2);
	}

	@Test
	void consumeWhenExpiredOrRevokedOrUnknownThenFalse() {
		this.repository.insert(token("t1", 5), "a".repeat(64));
		assertThat(this.repository.consume("t1", EXPIRES)).isFalse();
		assertThat(this.repository.consume("t1", EXPIRES.minusNanos(1_000))).isTrue();
		assertThat(this.repository.revoke("t1", CREATED)).isTrue();
		assertThat(this.repository.consume("t1", CREATED)).isFalse();
		assertThat(this.repository.consume("nope", CREATED)).isFalse();
		assertThat(this.repository.findById("t1").get().usesLeft()).isEqualTo(4);
	}

	@Test
	void revokeOnceThenFalse() {
		this.repository.insert(token("t1", 1), "a".repeat(64));
		assertThat(this.repository.revoke("t1", CREATED.plusSeconds(5))).isTrue();
		assertThat(this.repository.revoke("t1", CREATED.plusSeconds(9))).isFalse();
		assertThat(this.repository.findById("t1").get().revokedAt()).isEqualTo(CREATED.plusSeconds(5));
		assertThat(this.repository.revoke("nope", CREATED)).isFalse();
	}

	@Test
	void consumeConcurrentlyOnTheLastUseThenExactlyOneWins() throws Exception {
		this.repository.insert(token("t1", 1), "a".repeat(64));
		CountDownLatch start = new CountDownLatch(1);
		Callable<Boolean> consume = () -> {
			start.await();
			return this.repository.consume("t1", CREATED);
		};
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				results.add(executor.submit(consume));
			}
			start.countDown();
			long wins = 0;
			for (Future<Boolean> result : results) {
				wins += result.get() ? 1 : 0;
			}
			assertThat(wins).isEqualTo(1);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.repository.findById("t1").get().usesLeft()).isZero();
	}

	private static EnrollmentToken token(String tokenId, int uses) {
		return new EnrollmentToken(tokenId, "For " + tokenId,
				Map.of("gmail", List.of("read_email", "send_email"), "slack", List.of("post_message")), uses, CREATED,
				EXPIRES, "admin");
	}

}
