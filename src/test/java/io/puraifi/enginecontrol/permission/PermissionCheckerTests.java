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
		assertThat(everyReason().map((arguments) -> ((Case) arguments.get()[0]).reason()))
			.containsAll(List.of(DecisionReason.values()));
	}

	@Test
	void decideWhenPlatformInMaintenanceThenMessageCarriesOperatorNote() {
		Platform platform = new Platform("gmail", "Gmail", "v1", PlatformStatus.MAINTENANCE, "back at 14:00",
				gmailActions(), NOW);
		Decision decision = PermissionChecker.decide("action", GRANTED, "gmail", platform, "send_email",
				(name) -> Optional.empty());
		assertThat(decision.message()).contains("maintenance").contains("back at 14:00");
	}

	@Test
	void decideWhenPlatformDegradedThenAllowedWithNote() {
		Platform platform = new Platform("gmail", "Gmail", "v1", PlatformStatus.DEGRADED, "slow sends", gmailActions(),
				NOW);
		Decision decision = PermissionChecker.decide("action", GRANTED, "gmail", platform, "send_email",
				(name) -> Optional.empty());
		assertThat(decision.allowed()).isTrue();
		assertThat(decision.message()).contains("degraded").contains("slow sends");
	}

	@Test
	void decideWhenFlagOffThenMessageNamesFlag() {
		Decision decision = PermissionChecker.decide("action", GRANTED, "gmail", gmail(PlatformStatus.AVAILABLE),
				"send_email", flags(Map.of("action.gmail.send_email", false)));
		assertThat(decision.message()).contains("action.gmail.send_email");
	}

	@Test
	void decideWhenActionNotGrantedThenMessageNamesEngineAndAction() {
		Decision decision = PermissionChecker.decide("action", READ_ONLY, "gmail", gmail(PlatformStatus.AVAILABLE),
				"send_email", (name) -> Optional.empty());
		assertThat(decision.message()).contains("action").contains("send_email").contains("gmail");
	}

	private static void assertDecision(Case c) {
		Decision decision = PermissionChecker.decide("action", c.engine(), c.platformName(), c.platform(),
				c.actionType(), flags(c.flags()));
		assertThat(decision.reason()).isEqualTo(c.reason());
		assertThat(decision.allowed()).isEqualTo(c.reason() == DecisionReason.ALLOWED);
		assertThat(decision.requiredScopes()).isEqualTo(c.requiredScopes());
		assertThat(decision.platformStatus()).isEqualTo(c.platformStatus());
		assertThat(decision.flag()).isEqualTo(c.flag());
		assertThat(decision.message()).isNotBlank();
	}

	private static java.util.function.Function<String, Optional<Boolean>> flags(Map<String, Boolean> values) {
		return (name) -> Optional.ofNullable(values.get(name));
	}

	private static Engine engine(EngineStatus status, Map<String, List<String>> capabilities) {
		return new Engine("action", "test engine", EngineRole.ENGINE, status, Engine.sorted(capabilities), NOW, NOW);
	}

	private static Platform gmail(PlatformStatus status) {
		return new Platform("gmail", "Gmail", "v1", status, null, gmailActions(), NOW);
	}

	private static TreeMap<String, List<String>> gmailActions() {
		return new TreeMap<>(Map.of("send_email", List.of("mail.send"), "read_email", List.of("mail.read")));
	}

	/**
	 * One row of the table: the inputs and the expected decision.
	 */
	record Case(Engine engine, String platformName, Platform platform, String actionType, Map<String, Boolean> flags,
			DecisionReason reason, List<String> requiredScopes, PlatformStatus platformStatus, String flag) {

		static Case check(Engine engine, String platformName, Platform platform, String actionType) {
			return new Case(engine, platformName, platform, actionType, Map.of(), null, null, null, null);
		}

		Case flags(Map<String, Boolean> values) {
			return new Case(this.engine, this.platformName, this.platform, this.actionType, values, null, null, null,
					null);
		}

		Case denied(DecisionReason expected, PlatformStatus status) {
			return new Case(this.engine, this.platformName, this.platform, this.actionType, this.flags, expected,
					List.of(), status, null);
		}

		Case deniedByFlag(String expectedFlag, PlatformStatus status) {
			return new Case(this.engine, this.platformName, this.platform, this.actionType, this.flags,
					DecisionReason.FLAG_DISABLED, List.of(), status, expectedFlag);
		}

		Case allowed(List<String> scopes, PlatformStatus status) {
			return new Case(this.engine, this.platformName, this.platform, this.actionType, this.flags,
					DecisionReason.ALLOWED, scopes, status, null);
		}

	}

}
