package io.puraifi.enginecontrol.budget;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.audit.AuditTrail;
import io.puraifi.enginecontrol.engine.AuthenticatedEngine;
import io.puraifi.enginecontrol.engine.Engine;
import io.puraifi.enginecontrol.engine.EngineRegistry;
import io.puraifi.enginecontrol.engine.EngineRole;
import io.puraifi.enginecontrol.engine.EngineSlot;
import io.puraifi.enginecontrol.engine.EngineStatus;
import io.puraifi.enginecontrol.propagation.ChangeKind;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * Token buckets per engine and kind on a fake clock: what is allowed, what is refused and
 * when to retry, overrides and their propagation, metrics and log lines.
 */
class EngineBudgetsTests {

	private static final AuthenticatedEngine MAILER = new AuthenticatedEngine("mailer", EngineRole.ENGINE);

	private static final AuthenticatedEngine CRAWLER = new AuthenticatedEngine("crawler", EngineRole.ENGINE);

	private static final AuthenticatedEngine OPERATOR = new AuthenticatedEngine("admin", EngineRole.ADMIN);

	/** Checks 10/s, burst 20; events 5/s, burst 50; validate 1/s, burst 2. */
	private static final EngineControlProperties.Budgets DEFAULTS = new EngineControlProperties.Budgets(true, 10, 20, 5,
			50, 1, 2, 1_000);

	private final FakeTime time = new FakeTime();

	private final InMemoryBudgets repository = new InMemoryBudgets();

	private final EngineRegistry engines = mock(EngineRegistry.class);

	private final Changes changes = mock(Changes.class);

	private final AuditTrail audit = mock(AuditTrail.class);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final ListAppender<ILoggingEvent> logLines = new ListAppender<>();

	@BeforeEach
	void engines() {
		given(this.engines.find("mailer")).willReturn(Optional.of(engine("mailer", EngineRole.ENGINE)));
		given(this.engines.find("admin")).willReturn(Optional.of(engine("admin", EngineRole.ADMIN)));
		given(this.changes.write(any(), anyString(), any()))
			.willAnswer((call) -> call.<Supplier<?>>getArgument(2).get());
		this.logLines.start();
		logger().addAppender(this.logLines);
	}

	@AfterEach
	void detachLog() {
		logger().detachAppender(this.logLines);
	}

	@Test
	void checksWithinTheBurstAreAllowedAndTheNextIsRefusedUntilATokenRefills() {
		EngineBudgets budgets = budgets(DEFAULTS);
		for (int i = 0; i < 20; i++) {
			budgets.charge(MAILER, BudgetKind.CHECKS, 1);
		}
		ProblemException refused = refusal(budgets, MAILER, BudgetKind.CHECKS, 1);
		assertThat(refused.type()).isEqualTo(ProblemType.BUDGET_EXCEEDED);
		assertThat(refused.type().status().value()).isEqualTo(429);
		assertThat(refused.getMessage())
			.isEqualTo("Engine 'mailer' is over its checks budget of 10 per second (burst 20); retry in 1 s");
		assertThat(refused.properties()).containsEntry("budget", "checks").containsEntry("allowed", false);
		assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(100));
		this.time.advance(Duration.ofMillis(99));
		refusal(budgets, MAILER, BudgetKind.CHECKS, 1);
		this.time.advance(Duration.ofMillis(1));
		assertThatNoException().isThrownBy(() -> budgets.charge(MAILER, BudgetKind.CHECKS, 1));
	}

	@Test
	void retryAfterIsTheTimeUntilEnoughTokensForTheWholeRequest() {
		EngineBudgets budgets = budgets(DEFAULTS);
		budgets.charge(MAILER, BudgetKind.CHECKS, 20);
		ProblemException refused = refusal(budgets, MAILER, BudgetKind.CHECKS, 15);
		assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(1_500));
		assertThat(ProblemException.retryAfterSeconds(refused.retryAfter())).isEqualTo("2");
	}

	@Test
	void batchNeedingMoreThanIsLeftIsRefusedWholeAndTakesNothing() {
		EngineBudgets budgets = budgets(DEFAULTS);
		budgets.charge(MAILER, BudgetKind.CHECKS, 15);
		refusal(budgets, MAILER, BudgetKind.CHECKS, 10);
		assertThatNoException().isThrownBy(() -> budgets.charge(MAILER, BudgetKind.CHECKS, 5));
		refusal(budgets, MAILER, BudgetKind.CHECKS, 1);
	}

	@Test
	void batchLargerThanTheBurstIsInvalidForThisEngineWithTheLargestThatFitsAndNoRetryAfter() {
		EngineBudgets budgets = budgets(DEFAULTS);
		double before = refusals("checks");
		ProblemException refused = refusal(budgets, MAILER, BudgetKind.CHECKS, 21);
		assertThat(refused.type()).isEqualTo(ProblemType.INVALID_REQUEST);
		assertThat(refused.getMessage()).isEqualTo("This request carries 21 checks, more than engine 'mailer' may "
				+ "send at once (its checks burst is 20); send at most 20 per request");
		assertThat(refused.retryAfter()).as("no wait helps").isNull();
		assertThat(refusals("checks")).as("not an over-budget refusal").isEqualTo(before);
		assertThatNoException().isThrownBy(() -> budgets.charge(MAILER, BudgetKind.CHECKS, 20));
	}

	@Test
	void oneEngineOverItsBudgetLeavesAnotherEnginesBudgetWhole() {
		EngineBudgets budgets = budgets(DEFAULTS);
		budgets.charge(MAILER, BudgetKind.CHECKS, 20);
		refusal(budgets, MAILER, BudgetKind.CHECKS, 1);
		assertThatNoException().isThrownBy(() -> budgets.charge(CRAWLER, BudgetKind.CHECKS, 20));
	}

	@Test
	void eachKindHasItsOwnBucket() {
		EngineBudgets budgets = budgets(DEFAULTS);
		budgets.charge(MAILER, BudgetKind.CHECKS, 20);
		budgets.charge(MAILER, BudgetKind.EVENTS, 50);
		budgets.charge(MAILER, BudgetKind.VALIDATE, 2);
		assertThat(refusal(budgets, MAILER, BudgetKind.EVENTS, 1).properties()).containsEntry("budget", "events")
			.doesNotContainKey("allowed");
		assertThat(refusal(budgets, MAILER, BudgetKind.VALIDATE, 1).getMessage())
			.isEqualTo("Engine 'mailer' is over its validate budget of 1 per second (burst 2); retry in 1 s");
	}

	@Test
	void operatorIsExempt() {
		EngineBudgets budgets = budgets(DEFAULTS);
		for (int i = 0; i < 1_000; i++) {
			budgets.charge(OPERATOR, BudgetKind.CHECKS, 100);
		}
		assertThat(refusals("checks")).isZero();
	}

	@Test
	void disabledBudgetsRefuseNothing() {
		EngineBudgets budgets = budgets(new EngineControlProperties.Budgets(false, 1, 1, 1, 1, 1, 1, 1_000));
		for (int i = 0; i < 100; i++) {
			budgets.charge(MAILER, BudgetKind.CHECKS, 1);
		}
		assertThat(refusals("checks")).isZero();
	}

	@Test
	void refusalsAreCountedByBudgetWithNoEngineLabel() {
		EngineBudgets budgets = budgets(DEFAULTS);
		budgets.charge(MAILER, BudgetKind.VALIDATE, 2);
		refusal(budgets, MAILER, BudgetKind.VALIDATE, 1);
		refusal(budgets, MAILER, BudgetKind.VALIDATE, 1);
		assertThat(refusals("validate")).isEqualTo(2);
		assertThat(refusals("checks")).isZero();
		Counter counter = this.meters.get("engine.control.budget.refused").tag("budget", "validate").counter();
		assertThat(counter.getId().getTags()).extracting("key").containsExactly("budget");
	}

	@Test
	void refusalsAreLoggedAtMostOncePerEngineEveryTenSeconds() {
		EngineBudgets budgets = budgets(DEFAULTS);
		budgets.charge(MAILER, BudgetKind.CHECKS, 20);
		for (int i = 0; i < 50; i++) {
			refusal(budgets, MAILER, BudgetKind.CHECKS, 1);
		}
		assertThat(this.logLines.list).hasSize(1);
		this.time.advance(Duration.ofSeconds(10));
		budgets.charge(MAILER, BudgetKind.CHECKS, 20);
		refusal(budgets, MAILER, BudgetKind.CHECKS, 1);
		assertThat(this.logLines.list).hasSize(2);
		assertThat(this.logLines.list.get(1).getKeyValuePairs()).anySatisfy((pair) -> {
			assertThat(pair.key).isEqualTo("refused_unlogged");
			assertThat(pair.value).isEqualTo(49L);
		});
		assertThat(this.logLines.list)
			.allSatisfy((line) -> assertThat(line.getFormattedMessage()).isEqualTo("request refused"));
	}

	@Test
	void storedOverrideReplacesOnlyTheNumbersItSets() {
		this.repository.save("mailer", new BudgetSettings(2, 3, null, null, null, null), Instant.EPOCH);
		EngineBudgets budgets = budgets(DEFAULTS);
		budgets.charge(MAILER, BudgetKind.CHECKS, 3);
		assertThat(refusal(budgets, MAILER, BudgetKind.CHECKS, 1).getMessage())
			.contains("checks budget of 2 per second (burst 3)");
		assertThatNoException().isThrownBy(() -> budgets.charge(MAILER, BudgetKind.EVENTS, 50));
		assertThatNoException().isThrownBy(() -> budgets.charge(CRAWLER, BudgetKind.CHECKS, 20));
		EngineBudgets.View view = budgets.find("mailer");
		assertThat(view.budget())
			.isEqualTo(new Budget(new Budget.Rate(2, 3), new Budget.Rate(5, 50), new Budget.Rate(1, 2)));
		assertThat(view.override().settings().overridden()).containsExactly("checks_per_second", "checks_burst");
		assertThat(view.enforced()).isTrue();
	}

	@Test
	void overrideChangedByAnotherReplicaAppliesOnItsNotification() {
		EngineBudgets budgets = budgets(DEFAULTS);
		Consumer<String> budgetChanged = invalidator(ChangeKind.BUDGET);
		budgets.charge(MAILER, BudgetKind.CHECKS, 20);
		refusal(budgets, MAILER, BudgetKind.CHECKS, 1);

		this.repository.save("mailer", new BudgetSettings(100, 500, null, null, null, null), Instant.EPOCH);
		budgetChanged.accept("mailer");
		assertThatNoException().isThrownBy(() -> budgets.charge(MAILER, BudgetKind.CHECKS, 500));

		this.repository.delete("mailer");
		budgetChanged.accept("mailer");
		refusal(budgets, MAILER, BudgetKind.CHECKS, 21);
		assertThatNoException().isThrownBy(() -> budgets.charge(MAILER, BudgetKind.CHECKS, 20));
	}

	@Test
	void bucketsInTheSlotAreTheCachesOwnAndSpareTheCacheItsLookup() {
		EngineBudgets budgets = budgets(DEFAULTS);
		AuthenticatedEngine withSlot = new AuthenticatedEngine("mailer", EngineRole.ENGINE, new EngineSlot());
		budgets.charge(withSlot, BudgetKind.CHECKS, 10);
		assertThat(withSlot.slot().get()).isNotNull();
		for (int i = 0; i < 5; i++) {
			budgets.charge(withSlot, BudgetKind.CHECKS, 1);
		}
		assertThat(cacheGets("hit") + cacheGets("miss")).isEqualTo(1);
		budgets.charge(MAILER, BudgetKind.CHECKS, 5);
		refusal(budgets, withSlot, BudgetKind.CHECKS, 1);
		assertThat(budgets.find("mailer").available()).containsEntry(BudgetKind.CHECKS, 0L);
	}

	@Test
	void bucketsInTheSlotAreReplacedWhenTheirEnginesOverrideChanges() {
		EngineBudgets budgets = budgets(DEFAULTS);
		Consumer<String> budgetChanged = invalidator(ChangeKind.BUDGET);
		AuthenticatedEngine mailer = new AuthenticatedEngine("mailer", EngineRole.ENGINE, new EngineSlot());
		AuthenticatedEngine crawler = new AuthenticatedEngine("crawler", EngineRole.ENGINE, new EngineSlot());
		budgets.charge(mailer, BudgetKind.CHECKS, 20);
		this.repository.save("crawler", new BudgetSettings(1, 30, null, null, null, null), Instant.EPOCH);
		budgetChanged.accept("crawler");
		budgets.charge(crawler, BudgetKind.CHECKS, 30);
		Object crawlers = crawler.slot().get();

		this.repository.save("mailer", new BudgetSettings(100, 500, null, null, null, null), Instant.EPOCH);
		budgetChanged.accept("mailer");
		assertThatNoException().isThrownBy(() -> budgets.charge(mailer, BudgetKind.CHECKS, 500));
		double gets = cacheGets("hit") + cacheGets("miss");
		refusal(budgets, crawler, BudgetKind.CHECKS, 1);
		assertThat(crawler.slot().get()).as("another engine's change leaves these buckets").isSameAs(crawlers);
		assertThat(cacheGets("hit") + cacheGets("miss")).as("and they stay current").isEqualTo(gets);

		this.repository.delete("mailer");
		budgetChanged.accept("mailer");
		assertThat(refusal(budgets, mailer, BudgetKind.CHECKS, 21).type()).as("over the default burst")
			.isEqualTo(ProblemType.INVALID_REQUEST);
		assertThatNoException().isThrownBy(() -> budgets.charge(mailer, BudgetKind.CHECKS, 20));
	}

	@Test
	void bucketsPutBackInTheSlotAfterTheirBudgetChangedAreNotUsed() {
		EngineBudgets budgets = budgets(DEFAULTS);
		Consumer<String> budgetChanged = invalidator(ChangeKind.BUDGET);
		AuthenticatedEngine mailer = new AuthenticatedEngine("mailer", EngineRole.ENGINE, new EngineSlot());
		budgets.charge(mailer, BudgetKind.CHECKS, 20);
		Object before = mailer.slot().get();
		this.repository.save("mailer", new BudgetSettings(100, 500, null, null, null, null), Instant.EPOCH);
		budgetChanged.accept("mailer");
		// As a check that read the slot before the change would, writing its buckets back
		mailer.slot().set(before);
		assertThatNoException().isThrownBy(() -> budgets.charge(mailer, BudgetKind.CHECKS, 500));
	}

	@Test
	void whatTheOperatorIsShownIsWhatAChargeFindsWhenTheCacheForgetsBuckets() {
		given(this.engines.find("crawler")).willReturn(Optional.of(engine("crawler", EngineRole.ENGINE)));
		EngineBudgets budgets = budgets(new EngineControlProperties.Budgets(true, 10, 20, 5, 50, 1, 2, 1));
		AuthenticatedEngine mailer = new AuthenticatedEngine("mailer", EngineRole.ENGINE, new EngineSlot());
		AuthenticatedEngine crawler = new AuthenticatedEngine("crawler", EngineRole.ENGINE, new EngineSlot());
		budgets.charge(mailer, BudgetKind.CHECKS, 20);
		budgets.charge(crawler, BudgetKind.CHECKS, 20);
		long mailerShown = budgets.find("mailer").available().get(BudgetKind.CHECKS);
		long crawlerShown = budgets.find("crawler").available().get(BudgetKind.CHECKS);
		assertThat(mailerShown + crawlerShown).as("a cache of one forgot one engine's drained buckets").isEqualTo(20);
		AuthenticatedEngine drained = (mailerShown == 0) ? mailer : crawler;
		AuthenticatedEngine forgotten = (mailerShown == 0) ? crawler : mailer;
		assertThat(refusal(budgets, drained, BudgetKind.CHECKS, 1).type()).isEqualTo(ProblemType.BUDGET_EXCEEDED);
		assertThatNoException().isThrownBy(() -> budgets.charge(forgotten, BudgetKind.CHECKS, 20));
	}

	@Test
	void bucketsInTheSlotAreReplacedWhenEveryOverrideIsReadAgain() {
		EngineBudgets budgets = budgets(DEFAULTS);
		Runnable reloadAll = fullInvalidator(ChangeKind.BUDGET);
		AuthenticatedEngine mailer = new AuthenticatedEngine("mailer", EngineRole.ENGINE, new EngineSlot());
		AuthenticatedEngine crawler = new AuthenticatedEngine("crawler", EngineRole.ENGINE, new EngineSlot());
		budgets.charge(mailer, BudgetKind.CHECKS, 20);
		budgets.charge(crawler, BudgetKind.CHECKS, 20);
		refusal(budgets, mailer, BudgetKind.CHECKS, 1);
		this.repository.save("mailer", new BudgetSettings(100, 500, null, null, null, null), Instant.EPOCH);
		reloadAll.run();
		assertThatNoException().isThrownBy(() -> budgets.charge(mailer, BudgetKind.CHECKS, 500));
		// Every engine's buckets start again full, the default budget's too
		assertThatNoException().isThrownBy(() -> budgets.charge(crawler, BudgetKind.CHECKS, 20));
	}

	@Test
	void engineChangeThatLeavesTheOverrideAloneKeepsTheBuckets() {
		EngineBudgets budgets = budgets(DEFAULTS);
		Consumer<String> engineChanged = invalidator(ChangeKind.ENGINE);
		budgets.charge(MAILER, BudgetKind.CHECKS, 20);
		engineChanged.accept("mailer");
		refusal(budgets, MAILER, BudgetKind.CHECKS, 1);
	}

	@Test
	void engineDeletedTakesItsOverrideWithItOnItsNotification() {
		this.repository.save("mailer", new BudgetSettings(1, 1, null, null, null, null), Instant.EPOCH);
		EngineBudgets budgets = budgets(DEFAULTS);
		Consumer<String> engineChanged = invalidator(ChangeKind.ENGINE);
		refusal(budgets, MAILER, BudgetKind.CHECKS, 2);
		// The engine's row is deleted, and its override with it (on delete cascade).
		this.repository.delete("mailer");
		engineChanged.accept("mailer");
		assertThatNoException().isThrownBy(() -> budgets.charge(MAILER, BudgetKind.CHECKS, 20));
	}

	@Test
	void setIsStoredAuditedAndWrittenAsABudgetChange() {
		EngineBudgets budgets = budgets(DEFAULTS);
		BudgetSettings settings = new BudgetSettings(20, null, null, 7, null, null);
		EngineBudgets.View view = budgets.set("mailer", settings);
		assertThat(view.budget().checks()).isEqualTo(new Budget.Rate(20, 20));
		assertThat(view.budget().events()).isEqualTo(new Budget.Rate(5, 7));
		assertThat(this.repository.find("mailer")).get().extracting(BudgetOverride::settings).isEqualTo(settings);
		verify(this.changes).write(eq(ChangeKind.BUDGET), eq("mailer"), any());
		verify(this.audit).record("engine.budget.set", "engine", "mailer", null, settings);
	}

	@Test
	void resetRemovesTheOverrideAndIsAudited() {
		this.repository.save("mailer", new BudgetSettings(2, 3, null, null, null, null), Instant.EPOCH);
		EngineBudgets budgets = budgets(DEFAULTS);
		willAnswer((call) -> {
			call.<Runnable>getArgument(2).run();
			return null;
		}).given(this.changes).run(eq(ChangeKind.BUDGET), eq("mailer"), any());
		budgets.reset("mailer");
		assertThat(this.repository.find("mailer")).isEmpty();
		verify(this.audit).record("engine.budget.delete", "engine", "mailer",
				new BudgetSettings(2, 3, null, null, null, null), null);
	}

	@Test
	void operatorsBudgetCannotBeSetAndIsShownAsNotEnforced() {
		EngineBudgets budgets = budgets(DEFAULTS);
		ProblemException conflict = catchThrowableOfType(ProblemException.class,
				() -> budgets.set("admin", new BudgetSettings(1, 1, 1, 1, 1, 1)));
		assertThat(conflict.type()).isEqualTo(ProblemType.CONFLICT);
		assertThat(budgets.find("admin").enforced()).isFalse();
		verify(this.audit, never()).record(any(), any(), any(), any(), any());
	}

	@Test
	void unknownEngineIsNotFound() {
		EngineBudgets budgets = budgets(DEFAULTS);
		given(this.engines.find("ghost")).willReturn(Optional.empty());
		assertThat(catchThrowableOfType(ProblemException.class, () -> budgets.find("ghost")).type())
			.isEqualTo(ProblemType.NOT_FOUND);
		assertThat(catchThrowableOfType(ProblemException.class, () -> budgets.set("ghost", BudgetSettings.NONE)).type())
			.isEqualTo(ProblemType.NOT_FOUND);
	}

	private EngineBudgets budgets(EngineControlProperties.Budgets defaults) {
		return new EngineBudgets(this.repository, this.engines, this.changes, this.audit,
				Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), defaults, this.meters, this.time);
	}

	private ProblemException refusal(EngineBudgets budgets, AuthenticatedEngine caller, BudgetKind kind, int tokens) {
		ProblemException refused = catchThrowableOfType(ProblemException.class,
				() -> budgets.charge(caller, kind, tokens));
		assertThat(refused).as("refused").isNotNull();
		return refused;
	}

	private double refusals(String budget) {
		return this.meters.get("engine.control.budget.refused").tag("budget", budget).counter().count();
	}

	@SuppressWarnings("unchecked")
	private Consumer<String> invalidator(ChangeKind kind) {
		ArgumentCaptor<Consumer<String>> captor = ArgumentCaptor.forClass(Consumer.class);
		verify(this.changes).subscribe(eq(kind), captor.capture(), any());
		return captor.getValue();
	}

	@SuppressWarnings("unchecked")
	private Runnable fullInvalidator(ChangeKind kind) {
		ArgumentCaptor<Runnable> captor = ArgumentCaptor.forClass(Runnable.class);
		verify(this.changes).subscribe(eq(kind), any(Consumer.class), captor.capture());
		return captor.getValue();
	}

	private double cacheGets(String result) {
		return this.meters.get("cache.gets")
			.tag("cache", "budget_buckets")
			.tag("result", result)
			.functionCounter()
			.count();
	}

	private static Engine engine(String id, EngineRole role) {
		return new Engine(id, null, role, EngineStatus.ACTIVE, new TreeMap<>(), Instant.EPOCH, Instant.EPOCH);
	}

	private static Logger logger() {
		return (Logger) LoggerFactory.getLogger(EngineBudgets.class);
	}

	private static final class FakeTime implements Ticker {

		private long nanos = 1_000_000_000L;

		void advance(Duration duration) {
			this.nanos += duration.toNanos();
		}

		@Override
		public long read() {
			return this.nanos;
		}

	}

	private static final class InMemoryBudgets implements BudgetRepository {

		private final Map<String, BudgetOverride> rows = new HashMap<>();

		@Override
		public Map<String, BudgetOverride> findAll() {
			return new HashMap<>(this.rows);
		}

		@Override
		public Optional<BudgetOverride> find(String engineId) {
			return Optional.ofNullable(this.rows.get(engineId));
		}

		@Override
		public void save(String engineId, BudgetSettings settings, Instant now) {
			this.rows.put(engineId, new BudgetOverride(engineId, settings, now));
		}

		@Override
		public boolean delete(String engineId) {
			return this.rows.remove(engineId) != null;
		}

	}

}
