package io.puraifi.enginecontrol.permission;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.puraifi.enginecontrol.engine.Engine;
import io.puraifi.enginecontrol.engine.EngineRole;
import io.puraifi.enginecontrol.engine.EngineStatus;
import io.puraifi.enginecontrol.platform.MaintenanceWindow;
import io.puraifi.enginecontrol.platform.Platform;
import io.puraifi.enginecontrol.platform.PlatformStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * The permission decision as a table of cases: one row per reason, then rows that pin
 * down the order in which the rules apply.
 */
class PermissionCheckerTests {

	private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

	private static final Engine GRANTED = engine(EngineStatus.ACTIVE, Map.of("gmail", List.of("send_email")));

	private static final Engine READ_ONLY = engine(EngineStatus.ACTIVE, Map.of("gmail", List.of("read_email")));

	private static final Engine SUSPENDED = engine(EngineStatus.SUSPENDED, Map.of("gmail", List.of("send_email")));

	private static final Instant START = NOW.plusSeconds(3600);

	private static final Instant END = NOW.plusSeconds(7200);

	private static final MaintenanceWindow WINDOW = window(START, END, "database upgrade");

	private static final Engine REVOKED = engine(EngineStatus.REVOKED, Map.of("gmail", List.of("send_email")));

	static Stream<Arguments> everyReason() {
		return Stream.of(
				argumentSet("unknown engine",
						Case.check(null, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.denied(DecisionReason.UNKNOWN_ENGINE, null)),
				argumentSet("suspended engine",
						Case.check(SUSPENDED, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.denied(DecisionReason.ENGINE_SUSPENDED, null)),
				argumentSet("revoked engine",
						Case.check(REVOKED, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.denied(DecisionReason.ENGINE_REVOKED, null)),
				argumentSet("unknown platform",
						Case.check(GRANTED, "fax", null, "send_email").denied(DecisionReason.UNKNOWN_PLATFORM, null)),
				argumentSet("unknown action",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE), "delete_email")
							.denied(DecisionReason.UNKNOWN_ACTION, null)),
				argumentSet("action not granted",
						Case.check(READ_ONLY, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.denied(DecisionReason.ACTION_NOT_GRANTED, null)),
				argumentSet("platform disabled",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.DISABLED), "send_email")
							.denied(DecisionReason.PLATFORM_DISABLED, PlatformStatus.DISABLED)),
				argumentSet("platform in maintenance",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.MAINTENANCE), "send_email")
							.denied(DecisionReason.PLATFORM_MAINTENANCE, PlatformStatus.MAINTENANCE)),
				argumentSet("platform kill switch off",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.flags(Map.of("platform.gmail", false))
							.deniedByFlag("platform.gmail", PlatformStatus.AVAILABLE)),
				argumentSet("action kill switch off",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.flags(Map.of("action.gmail.send_email", false))
							.deniedByFlag("action.gmail.send_email", PlatformStatus.AVAILABLE)),
				argumentSet("allowed on an available platform",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.allowed(List.of("mail.send"), PlatformStatus.AVAILABLE)),
				argumentSet("allowed on a degraded platform",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.DEGRADED), "send_email")
							.allowed(List.of("mail.send"), PlatformStatus.DEGRADED)),
				argumentSet("allowed when both kill switches are explicitly on",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.flags(Map.of("platform.gmail", true, "action.gmail.send_email", true))
							.allowed(List.of("mail.send"), PlatformStatus.AVAILABLE)));
	}

	static Stream<Arguments> ruleOrder() {
		return Stream.of(
				argumentSet("suspension before an unknown platform",
						Case.check(SUSPENDED, "fax", null, "send_email").denied(DecisionReason.ENGINE_SUSPENDED, null)),
				argumentSet("revocation before an unknown platform",
						Case.check(REVOKED, "fax", null, "send_email").denied(DecisionReason.ENGINE_REVOKED, null)),
				argumentSet("unknown action before the missing grant",
						Case.check(READ_ONLY, "gmail", gmail(PlatformStatus.AVAILABLE), "delete_email")
							.denied(DecisionReason.UNKNOWN_ACTION, null)),
				argumentSet("missing grant before maintenance, status not revealed",
						Case.check(READ_ONLY, "gmail", gmail(PlatformStatus.MAINTENANCE), "send_email")
							.denied(DecisionReason.ACTION_NOT_GRANTED, null)),
				argumentSet("missing grant before disabled, status not revealed",
						Case.check(READ_ONLY, "gmail", gmail(PlatformStatus.DISABLED), "send_email")
							.denied(DecisionReason.ACTION_NOT_GRANTED, null)),
				argumentSet("missing grant before a kill switch",
						Case.check(READ_ONLY, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.flags(Map.of("platform.gmail", false))
							.denied(DecisionReason.ACTION_NOT_GRANTED, null)),
				argumentSet("maintenance before a kill switch",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.MAINTENANCE), "send_email")
							.flags(Map.of("platform.gmail", false))
							.denied(DecisionReason.PLATFORM_MAINTENANCE, PlatformStatus.MAINTENANCE)),
				argumentSet("platform switch reported before action switch",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.flags(Map.of("platform.gmail", false, "action.gmail.send_email", false))
							.deniedByFlag("platform.gmail", PlatformStatus.AVAILABLE)),
				argumentSet("another action's switch does not apply",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.flags(Map.of("action.gmail.read_email", false, "platform.slack", false))
							.allowed(List.of("mail.send"), PlatformStatus.AVAILABLE)),
				argumentSet("kill switch applies on a degraded platform",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.DEGRADED), "send_email")
							.flags(Map.of("action.gmail.send_email", false))
							.deniedByFlag("action.gmail.send_email", PlatformStatus.DEGRADED)));
	}

	static Stream<Arguments> maintenanceWindows() {
		return Stream.of(
				argumentSet("before the window: allowed",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE, WINDOW), "send_email")
							.at(START.minusMillis(1))
							.allowed(List.of("mail.send"), PlatformStatus.AVAILABLE)),
				argumentSet("at the window's start: denied until its end",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE, WINDOW), "send_email")
							.at(START)
							.deniedUntil(END)),
				argumentSet("during the window: denied until its end",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE, WINDOW), "send_email")
							.at(START.plusSeconds(60))
							.deniedUntil(END)),
				argumentSet("at the window's end: allowed again",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE, WINDOW), "send_email")
							.at(END)
							.allowed(List.of("mail.send"), PlatformStatus.AVAILABLE)),
				argumentSet("after the window: allowed",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE, WINDOW), "send_email")
							.at(END.plusSeconds(60))
							.allowed(List.of("mail.send"), PlatformStatus.AVAILABLE)),
				argumentSet("cancelled window: allowed", Case
					.check(GRANTED, "gmail",
							gmail(PlatformStatus.AVAILABLE,
									new MaintenanceWindow("w2", "gmail", START, END, null, NOW, NOW)),
							"send_email")
					.at(START.plusSeconds(60))
					.allowed(List.of("mail.send"), PlatformStatus.AVAILABLE)),
				argumentSet("window beats degraded",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.DEGRADED, WINDOW), "send_email")
							.at(START.plusSeconds(60))
							.deniedUntil(END)),
				argumentSet("disabled beats a window, no retry_after",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.DISABLED, WINDOW), "send_email")
							.at(START.plusSeconds(60))
							.denied(DecisionReason.PLATFORM_DISABLED, PlatformStatus.DISABLED)),
				argumentSet("operator-set maintenance beats a window, no retry_after",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.MAINTENANCE, WINDOW), "send_email")
							.at(START.plusSeconds(60))
							.denied(DecisionReason.PLATFORM_MAINTENANCE, PlatformStatus.MAINTENANCE)),
				argumentSet("overlapping windows: retry after the last one ends", Case
					.check(GRANTED, "gmail",
							gmail(PlatformStatus.AVAILABLE, WINDOW,
									window(END.minusSeconds(60), END.plusSeconds(600), null),
									window(END.plusSeconds(600), END.plusSeconds(900), null)),
							"send_email")
					.at(START.plusSeconds(60))
					.deniedUntil(END.plusSeconds(900))),
				argumentSet("a later window does not extend the current one", Case
					.check(GRANTED, "gmail",
							gmail(PlatformStatus.AVAILABLE, WINDOW,
									window(END.plusSeconds(1), END.plusSeconds(900), null)),
							"send_email")
					.at(START.plusSeconds(60))
					.deniedUntil(END)),
				argumentSet("missing grant before a window, status not revealed",
						Case.check(READ_ONLY, "gmail", gmail(PlatformStatus.AVAILABLE, WINDOW), "send_email")
							.at(START.plusSeconds(60))
							.denied(DecisionReason.ACTION_NOT_GRANTED, null)),
				argumentSet("window before a kill switch",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE, WINDOW), "send_email")
							.flags(Map.of("global", false))
							.at(START.plusSeconds(60))
							.deniedUntil(END)));
	}

	static Stream<Arguments> killSwitchLevels() {
		return Stream.of(
				argumentSet("global off",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.flags(Map.of("global", false))
							.deniedByFlag("global", PlatformStatus.AVAILABLE)),
				argumentSet("engine off",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.flags(Map.of("engine.action", false))
							.deniedByFlag("engine.action", PlatformStatus.AVAILABLE)),
				argumentSet("another engine's switch does not apply",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.flags(Map.of("engine.other", false))
							.allowed(List.of("mail.send"), PlatformStatus.AVAILABLE)),
				argumentSet("every level off: global is named",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.flags(Map.of("global", false, "engine.action", false, "platform.gmail", false,
									"action.gmail.send_email", false))
							.deniedByFlag("global", PlatformStatus.AVAILABLE)),
				argumentSet("engine before platform and action",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.flags(Map.of("global", true, "engine.action", false, "platform.gmail", false,
									"action.gmail.send_email", false))
							.deniedByFlag("engine.action", PlatformStatus.AVAILABLE)),
				argumentSet("every level explicitly on: allowed",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.flags(Map.of("global", true, "engine.action", true, "platform.gmail", true,
									"action.gmail.send_email", true))
							.allowed(List.of("mail.send"), PlatformStatus.AVAILABLE)),
				argumentSet("global off applies on a degraded platform",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.DEGRADED), "send_email")
							.flags(Map.of("global", false))
							.deniedByFlag("global", PlatformStatus.DEGRADED)),
				argumentSet("disabled before global off",
						Case.check(GRANTED, "gmail", gmail(PlatformStatus.DISABLED), "send_email")
							.flags(Map.of("global", false))
							.denied(DecisionReason.PLATFORM_DISABLED, PlatformStatus.DISABLED)),
				argumentSet("suspended engine before global off",
						Case.check(SUSPENDED, "gmail", gmail(PlatformStatus.AVAILABLE), "send_email")
							.flags(Map.of("global", false))
							.denied(DecisionReason.ENGINE_SUSPENDED, null)));
	}

	@ParameterizedTest
	@MethodSource("maintenanceWindows")
	void decideWhenMaintenanceWindowThenEvaluatedAtTheTimeOfTheCheck(Case c) {
		assertDecision(c);
	}

	@ParameterizedTest
	@MethodSource("killSwitchLevels")
	void decideWhenKillSwitchOffThenFirstLevelInOrderIsNamed(Case c) {
		assertDecision(c);
	}

	@Test
	void decideWhenWindowInEffectThenMessageCarriesTheWindowsMessageAndEnd() {
		Decision decision = PermissionChecker.decide("action", GRANTED, "gmail",
				gmail(PlatformStatus.AVAILABLE, WINDOW), "send_email", (name) -> Optional.empty(),
				START.plusSeconds(1));
		assertThat(decision.message()).contains("database upgrade").contains(END.toString());
		assertThat(decision.retryAfter()).isEqualTo(END);
	}

	@Test
	void decideWhenSameCachedPlatformThenWindowStartsAndEndsWithTime() {
		Platform cached = gmail(PlatformStatus.AVAILABLE, WINDOW);
		assertThat(decideAt(cached, START.minusNanos(1000)).allowed()).isTrue();
		assertThat(decideAt(cached, START).allowed()).isFalse();
		assertThat(decideAt(cached, END.minusNanos(1000)).allowed()).isFalse();
		assertThat(decideAt(cached, END).allowed()).isTrue();
	}

	private static Decision decideAt(Platform platform, Instant now) {
		return PermissionChecker.decide("action", GRANTED, "gmail", platform, "send_email", (name) -> Optional.empty(),
				now);
	}

	@ParameterizedTest
	@MethodSource("everyReason")
	void decideWhenCaseThenExpectedReason(Case c) {
		assertDecision(c);
	}

	@ParameterizedTest
	@MethodSource("ruleOrder")
	void decideWhenSeveralRulesApplyThenFirstRuleWins(Case c) {
		assertDecision(c);
	}

	@Test
	void decideWhenEveryReasonThenTablesCoverIt() {
		// QUOTA_EXCEEDED is decided after the checker, by the quota rules
		// (QuotaIntegrationTests)
		assertThat(everyReason().map((arguments) -> ((Case) arguments.get()[0]).reason()))
			.containsAll(Stream.of(DecisionReason.values())
				.filter((reason) -> reason != DecisionReason.QUOTA_EXCEEDED)
				.toList());
	}

	@Test
	void decideWhenPlatformInMaintenanceThenMessageCarriesOperatorNote() {
		Platform platform = new Platform("gmail", "Gmail", "v1", PlatformStatus.MAINTENANCE, "back at 14:00",
				gmailActions(), NOW);
		Decision decision = PermissionChecker.decide("action", GRANTED, "gmail", platform, "send_email",
				(name) -> Optional.empty(), NOW);
		assertThat(decision.message()).contains("maintenance").contains("back at 14:00");
	}

	@Test
	void decideWhenPlatformDegradedThenAllowedWithNote() {
		Platform platform = new Platform("gmail", "Gmail", "v1", PlatformStatus.DEGRADED, "slow sends", gmailActions(),
				NOW);
		Decision decision = PermissionChecker.decide("action", GRANTED, "gmail", platform, "send_email",
				(name) -> Optional.empty(), NOW);
		assertThat(decision.allowed()).isTrue();
		assertThat(decision.message()).contains("degraded").contains("slow sends");
	}

	@Test
	void decideWhenFlagOffThenMessageNamesFlag() {
		Decision decision = PermissionChecker.decide("action", GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE),
				"send_email", flags(Map.of("action.gmail.send_email", false)), NOW);
		assertThat(decision.message()).contains("action.gmail.send_email");
	}

	@Test
	void decideWhenActionNotGrantedThenMessageNamesEngineAndAction() {
		Decision decision = PermissionChecker.decide("action", READ_ONLY, "gmail", gmail(PlatformStatus.AVAILABLE),
				"send_email", (name) -> Optional.empty(), NOW);
		assertThat(decision.message()).contains("action").contains("send_email").contains("gmail");
	}

	private static void assertDecision(Case c) {
		Decision decision = PermissionChecker.decide("action", c.engine(), c.platformName(), c.platform(),
				c.actionType(), flags(c.flags()), c.now());
		assertThat(decision.reason()).isEqualTo(c.reason());
		assertThat(decision.allowed()).isEqualTo(c.reason() == DecisionReason.ALLOWED);
		assertThat(decision.requiredScopes()).isEqualTo(c.requiredScopes());
		assertThat(decision.platformStatus()).isEqualTo(c.platformStatus());
		assertThat(decision.flag()).isEqualTo(c.flag());
		assertThat(decision.retryAfter()).isEqualTo(c.retryAfter());
		assertThat(decision.message()).isNotBlank();
	}

	private static java.util.function.Function<String, Optional<Boolean>> flags(Map<String, Boolean> values) {
		return (name) -> Optional.ofNullable(values.get(name));
	}

	private static Engine engine(EngineStatus status, Map<String, List<String>> capabilities) {
		return new Engine("action", "test engine", EngineRole.ENGINE, status, Engine.sorted(capabilities), NOW, NOW);
	}

	private static Platform gmail(PlatformStatus status, MaintenanceWindow... windows) {
		return new Platform("gmail", "Gmail", "v1", status, null, gmailActions(), NOW, List.of(windows));
	}

	private static MaintenanceWindow window(Instant start, Instant end, String message) {
		return new MaintenanceWindow(start + "-" + end, "gmail", start, end, message, NOW, null);
	}

	private static TreeMap<String, List<String>> gmailActions() {
		return new TreeMap<>(Map.of("send_email", List.of("mail.send"), "read_email", List.of("mail.read")));
	}

	/**
	 * One row of the table: the inputs and the expected decision.
	 */
	record Case(Engine engine, String platformName, Platform platform, String actionType, Map<String, Boolean> flags,
			Instant now, DecisionReason reason, List<String> requiredScopes, PlatformStatus platformStatus, String flag,
			Instant retryAfter) {

		static Case check(Engine engine, String platformName, Platform platform, String actionType) {
			return new Case(engine, platformName, platform, actionType, Map.of(), NOW, null, null, null, null, null);
		}

		Case flags(Map<String, Boolean> values) {
			return new Case(this.engine, this.platformName, this.platform, this.actionType, values, this.now, null,
					null, null, null, null);
		}

		Case at(Instant instant) {
			return new Case(this.engine, this.platformName, this.platform, this.actionType, this.flags, instant, null,
					null, null, null, null);
		}

		Case denied(DecisionReason expected, PlatformStatus status) {
			return new Case(this.engine, this.platformName, this.platform, this.actionType, this.flags, this.now,
					expected, List.of(), status, null, null);
		}

		Case deniedUntil(Instant expectedRetryAfter) {
			return new Case(this.engine, this.platformName, this.platform, this.actionType, this.flags, this.now,
					DecisionReason.PLATFORM_MAINTENANCE, List.of(), PlatformStatus.MAINTENANCE, null,
					expectedRetryAfter);
		}

		Case deniedByFlag(String expectedFlag, PlatformStatus status) {
			return new Case(this.engine, this.platformName, this.platform, this.actionType, this.flags, this.now,
					DecisionReason.FLAG_DISABLED, List.of(), status, expectedFlag, null);
		}

		Case allowed(List<String> scopes, PlatformStatus status) {
			return new Case(this.engine, this.platformName, this.platform, this.actionType, this.flags, this.now,
					DecisionReason.ALLOWED, scopes, status, null, null);
		}

	}

}
