package io.puraifi.enginecontrol.permission;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.puraifi.enginecontrol.permission.CheckController.CheckRequest;
import io.puraifi.enginecontrol.support.NameCandidates;
import io.puraifi.enginecontrol.system.Names;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand check that lets a well-formed check skip the validator must agree with the
 * constraints on {@link CheckRequest}: never accept what they refuse, and accept what
 * they accept (else valid checks would pay for the validator again).
 */
class CheckRequestTests {

	private static ValidatorFactory factory;

	private static Validator validator;

	@BeforeAll
	static void setUpValidator() {
		factory = Validation.buildDefaultValidatorFactory();
		validator = factory.getValidator();
	}

	@AfterAll
	static void closeValidator() {
		factory.close();
	}

	static List<CheckRequest> requests() {
		String max = "a" + "b".repeat(63);
		List<String> engineIds = Arrays.asList(null, "", "a", "ab", "a-b", "a_b", "a9", "-ab", "9ab", "Ab", "aB", "a b",
				"ab\n", "aé", max, max + "c", "a.b");
		List<String> names = Arrays.asList(null, "", "g", "gmail", "g_mail", "g-mail", "g9", "9g", "Gmail", "gmail!",
				"gmail\n", "gmaïl", max, max + "c", " gmail");
		List<Long> revisions = Arrays.asList(null, -1L, 0L, 7L, Long.MIN_VALUE);
		List<CheckRequest> requests = new ArrayList<>();
		engineIds.forEach((id) -> requests.add(new CheckRequest(id, "gmail", "send_email", null)));
		names.forEach((name) -> requests.add(new CheckRequest(null, name, "send_email", null)));
		names.forEach((name) -> requests.add(new CheckRequest("action", "gmail", name, 3L)));
		revisions.forEach((revision) -> requests.add(new CheckRequest("action", "gmail", "send_email", revision)));
		requests.add(new CheckRequest("X", "Gmail!", "send email", -5L));
		return requests;
	}

	@ParameterizedTest
	@MethodSource("requests")
	void isWellFormedWhenAndOnlyWhenTheConstraintsAccept(CheckRequest request) {
		assertThat(request.isWellFormed()).as("%s", request).isEqualTo(validator.validate(request).isEmpty());
	}

	@Test
	void handCheckAcceptsNamesAndEngineIdsWhenAndOnlyWhenTheirPatternsDo() {
		for (String candidate : NameCandidates.all()) {
			assertThat(new CheckRequest(null, candidate, "send_email", null).isWellFormed())
				.as("platform '%s'", candidate)
				.isEqualTo(Names.isName(candidate));
			assertThat(new CheckRequest(null, "gmail", candidate, null).isWellFormed()).as("action '%s'", candidate)
				.isEqualTo(Names.isName(candidate));
			assertThat(new CheckRequest(candidate, "gmail", "send_email", null).isWellFormed())
				.as("engine id '%s'", candidate)
				.isEqualTo(Names.isEngineId(candidate));
		}
	}

}
