package io.puraifi.enginecontrol.system;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Pattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each name rule in words says what its pattern enforces, at the boundaries a reader
 * would try; and a constraint built from a rule reports the words, not the pattern.
 */
class NamesTests {

	@Test
	void engineIdIsTwoTo64LowerCaseLettersDigitsUnderscoresAndDashesStartingWithALetter() {
		assertThat(Names.ENGINE_ID_RULE).contains("2 to 64 characters", "lower-case letters", "digits", "'_'", "'-'",
				"starting with a lower-case letter");
		assertThat(Names.isEngineId("a")).isFalse();
		assertThat(Names.isEngineId("ab")).isTrue();
		assertThat(Names.isEngineId("a" + "b".repeat(63))).isTrue();
		assertThat(Names.isEngineId("a" + "b".repeat(64))).isFalse();
		assertThat(Names.isEngineId("a9_-")).isTrue();
		assertThat(Names.isEngineId("9a")).isFalse();
		assertThat(Names.isEngineId("_a")).isFalse();
		assertThat(Names.isEngineId("Ab")).isFalse();
		assertThat(Names.isEngineId("a.b")).isFalse();
		assertThat(Names.isEngineId(null)).isFalse();
	}

	@Test
	void platformOrActionNameIsOneTo64LowerCaseLettersDigitsAndUnderscoresStartingWithALetter() {
		assertThat(Names.NAME_RULE).contains("1 to 64 characters", "lower-case letters", "digits and '_'",
				"starting with a lower-case letter");
		assertThat(Names.isName("g")).isTrue();
		assertThat(Names.isName("")).isFalse();
		assertThat(Names.isName("g" + "m".repeat(63))).isTrue();
		assertThat(Names.isName("g" + "m".repeat(64))).isFalse();
		assertThat(Names.isName("send_email2")).isTrue();
		assertThat(Names.isName("send-email")).isFalse();
		assertThat(Names.isName("Gmail")).isFalse();
		assertThat(Names.isName("2fa")).isFalse();
	}

	@Test
	void flagOrQuotaRuleNameIsOneTo128OfLettersDigitsUnderscoresDotsAndDashesStartingWithALetterOrDigit() {
		assertThat(Names.SETTING_NAME_RULE).contains("1 to 128 characters", "lower-case letters", "digits", "'_'",
				"'.'", "'-'", "starting with a lower-case letter or a digit");
		assertThat(Names.isSettingName("9")).isTrue();
		assertThat(Names.isSettingName("")).isFalse();
		assertThat(Names.isSettingName("a".repeat(128))).isTrue();
		assertThat(Names.isSettingName("a".repeat(129))).isFalse();
		assertThat(Names.isSettingName("mail.send-rate_2")).isTrue();
		assertThat(Names.isSettingName(".mail")).isFalse();
		assertThat(Names.isSettingName("Mail")).isFalse();
	}

	@Test
	void eventTypeIsOneTo64OfLettersDigitsUnderscoresDotsAndDashesStartingWithALetter() {
		assertThat(Names.EVENT_TYPE_RULE).contains("1 to 64 characters", "lower-case letters", "digits", "'_'", "'.'",
				"'-'", "starting with a lower-case letter");
		assertThat(Names.isEventType("e")).isTrue();
		assertThat(Names.isEventType("e" + "x".repeat(63))).isTrue();
		assertThat(Names.isEventType("e" + "x".repeat(64))).isFalse();
		assertThat(Names.isEventType("email.sent-2_x")).isTrue();
		assertThat(Names.isEventType("1email")).isFalse();
		assertThat(Names.isEventType("Email")).isFalse();
	}

	@Test
	void constraintWithARuleReportsTheRuleInWords() {
		try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
			Validator validator = factory.getValidator();
			assertThat(validator.validate(new Named("A"))).singleElement()
				.satisfies((violation) -> assertThat(violation.getMessage()).isEqualTo(Names.ENGINE_ID_RULE));
		}
	}

	record Named(@Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId) {
	}

}
