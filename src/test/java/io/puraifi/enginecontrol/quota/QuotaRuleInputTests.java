package io.puraifi.enginecontrol.quota;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.puraifi.enginecontrol.quota.QuotaRuleInput.LimitInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class QuotaRuleInputTests {

	private static final List<LimitInput> HOUR_AND_DAY = List.of(new LimitInput(100L, "PT1H"),
			new LimitInput(1000L, "P1D"));

	@Test
	void validInputBecomesTheRule() {
		QuotaRule rule = new QuotaRuleInput("mailer", "gmail", "send_email", HOUR_AND_DAY, "enforce")
			.toRule("mailer-email");
		assertThat(rule).isEqualTo(new QuotaRule("mailer-email", "mailer", "gmail", "send_email",
				List.of(new QuotaLimit(100, Duration.ofHours(1)), new QuotaLimit(1000, Duration.ofDays(1))),
				QuotaMode.ENFORCE));
	}

	@Test
	void absentEngineAndModeMeanEveryEngineAndEnforce() {
		QuotaRule rule = new QuotaRuleInput(null, "gmail", "*", List.of(new LimitInput(5L, "PT1S")), null)
			.toRule("gmail.all");
		assertThat(rule.engineId()).isNull();
		assertThat(rule.mode()).isEqualTo(QuotaMode.ENFORCE);
		assertThat(rule.appliesTo("mailer", "gmail", "send_email")).isTrue();
		assertThat(rule.appliesTo("other", "gmail", "read_inbox")).isTrue();
		assertThat(rule.appliesTo("mailer", "slack", "send_email")).isFalse();
	}

	@Test
	void ruleOfOneEngineAndOneActionAppliesToThemOnly() {
		QuotaRule rule = new QuotaRuleInput("mailer", "gmail", "send_email", HOUR_AND_DAY, "shadow").toRule("m");
		assertThat(rule.mode()).isEqualTo(QuotaMode.SHADOW);
		assertThat(rule.appliesTo("mailer", "gmail", "send_email")).isTrue();
		assertThat(rule.appliesTo("other", "gmail", "send_email")).isFalse();
		assertThat(rule.appliesTo("mailer", "gmail", "read_inbox")).isFalse();
	}

	static List<Arguments> invalidInputs() {
		return List.of(
				Arguments.of("Bad Name", input("mailer", "gmail", "send_email", HOUR_AND_DAY, "enforce"), "name"),
				Arguments.of("", input("mailer", "gmail", "send_email", HOUR_AND_DAY, "enforce"), "name"),
				Arguments.of(null, input("mailer", "gmail", "send_email", HOUR_AND_DAY, "enforce"), "name"),
				Arguments.of("n", input("Mailer!", "gmail", "send_email", HOUR_AND_DAY, "enforce"), "engine_id"),
				Arguments.of("n", input("mailer", null, "send_email", HOUR_AND_DAY, "enforce"), "platform"),
				Arguments.of("n", input("mailer", "Gmail", "send_email", HOUR_AND_DAY, "enforce"), "platform"),
				Arguments.of("n", input("mailer", "gmail", null, HOUR_AND_DAY, "enforce"), "action_type"),
				Arguments.of("n", input("mailer", "gmail", "**", HOUR_AND_DAY, "enforce"), "action_type"),
				Arguments.of("n", input("mailer", "gmail", "send_email", null, "enforce"), "limits"),
				Arguments.of("n", input("mailer", "gmail", "send_email", List.of(), "enforce"), "limits"),
				Arguments.of("n",
						input("mailer", "gmail", "send_email", limits("PT1S", "PT2S", "PT3S", "PT4S", "PT5S", "PT6S"),
								"enforce"),
						"limits"),
				Arguments.of("n", input("mailer", "gmail", "send_email", Arrays.asList((LimitInput) null), "enforce"),
						"limits[0]"),
				Arguments.of("n",
						input("mailer", "gmail", "send_email",
								List.of(new LimitInput(1L, "PT1H"), new LimitInput(0L, "P1D")), "enforce"),
						"limits[1].max"),
				Arguments.of("n",
						input("mailer", "gmail", "send_email", List.of(new LimitInput(null, "PT1H")), "enforce"),
						"limits[0].max"),
				Arguments.of("n",
						input("mailer", "gmail", "send_email", List.of(new LimitInput(-5L, "PT1H")), "enforce"),
						"limits[0].max"),
				Arguments.of("n", input("mailer", "gmail", "send_email", List.of(new LimitInput(1L, null)), "enforce"),
						"limits[0].per"),
				Arguments.of("n", input("mailer", "gmail", "send_email", List.of(new LimitInput(1L, "1h")), "enforce"),
						"limits[0].per"),
				Arguments.of("n",
						input("mailer", "gmail", "send_email", List.of(new LimitInput(1L, "PT0.5S")), "enforce"),
						"limits[0].per"),
				Arguments.of("n",
						input("mailer", "gmail", "send_email", List.of(new LimitInput(1L, "PT0S")), "enforce"),
						"limits[0].per"),
				Arguments.of("n",
						input("mailer", "gmail", "send_email", List.of(new LimitInput(1L, "-PT1H")), "enforce"),
						"limits[0].per"),
				Arguments.of("n",
						input("mailer", "gmail", "send_email", List.of(new LimitInput(1L, "P367D")), "enforce"),
						"limits[0].per"),
				Arguments.of("n",
						input("mailer", "gmail", "send_email",
								List.of(new LimitInput(1L, "PT1H"), new LimitInput(2L, "PT60M")), "enforce"),
						"limits[1].per"),
				Arguments.of("n", input("mailer", "gmail", "send_email", HOUR_AND_DAY, "log"), "mode"));
	}

	@ParameterizedTest(name = "[{index}] {2}")
	@MethodSource("invalidInputs")
	void invalidInputIsRefusedNamingTheField(String name, QuotaRuleInput input, String field) {
		assertThatExceptionOfType(InvalidQuotaRuleException.class).isThrownBy(() -> input.toRule(name))
			.satisfies((ex) -> assertThat(ex.violations()).extracting(QuotaViolation::field).containsExactly(field));
	}

	@Test
	void everyRefusedFieldIsNamed() {
		QuotaRuleInput input = new QuotaRuleInput("X", "", "", List.of(new LimitInput(0L, "soon")), "maybe");
		assertThatExceptionOfType(InvalidQuotaRuleException.class).isThrownBy(() -> input.toRule("Y"))
			.satisfies((ex) -> assertThat(ex.violations()).extracting(QuotaViolation::field)
				.containsExactlyInAnyOrder("name", "engine_id", "platform", "action_type", "limits[0].max",
						"limits[0].per", "mode"));
	}

	@Test
	void limitsAtTheBoundsAreAccepted() {
		QuotaRule rule = new QuotaRuleInput(null, "gmail", "*",
				List.of(new LimitInput(1L, "PT1S"), new LimitInput(Long.MAX_VALUE, "P366D")), "enforce")
			.toRule("bounds");
		assertThat(rule.limits()).extracting(QuotaLimit::per)
			.containsExactly(Duration.ofSeconds(1), Duration.ofDays(366));
	}

	@ParameterizedTest(name = "{0} is written {1}")
	@org.junit.jupiter.params.provider.CsvSource({ "PT1H,PT1H", "P1D,P1D", "PT24H,P1D", "P366D,P366D", "PT90M,PT1H30M",
			"PT1S,PT1S", "P1DT1H,PT25H" })
	void perIsWrittenInDaysWhenItIsWholeDays(String per, String written) {
		assertThat(new QuotaLimit(1, Duration.parse(per)).perText()).isEqualTo(written);
	}

	@Test
	void ruleCannotBeConstructedInvalid() {
		assertThatExceptionOfType(InvalidQuotaRuleException.class).isThrownBy(() -> new QuotaRule("r", null, "gmail",
				"*", List.of(new QuotaLimit(1, Duration.ofHours(1)), new QuotaLimit(2, Duration.ofHours(1))),
				QuotaMode.ENFORCE));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new QuotaLimit(0, Duration.ofHours(1)));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new QuotaLimit(1, Duration.ofMillis(1500)));
	}

	private static QuotaRuleInput input(String engineId, String platform, String actionType, List<LimitInput> limits,
			String mode) {
		return new QuotaRuleInput(engineId, platform, actionType, limits, mode);
	}

	private static List<LimitInput> limits(String... pers) {
		List<LimitInput> limits = new ArrayList<>();
		for (String per : pers) {
			limits.add(new LimitInput(1L, per));
		}
		return limits;
	}

}
