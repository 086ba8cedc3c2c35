package io.puraifi.enginecontrol.system;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The media type rules of {@link MalformedRequestFilter}, one value at a time; the
 * requests that found them are in {@code BadInputPropertyIntegrationTests}.
 */
class MalformedRequestFilterTests {

	@ParameterizedTest
	@ValueSource(strings = { "application/json", "application/json; charset=UTF-8", "text/plain", "",
			"application/json; charset=bogus" })
	void contentTypesSpringHandlesPass(String contentType) {
		assertThat(MalformedRequestFilter.isConcreteMediaType(contentType)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "*/*", "application/*", "\"a/b" })
	void wildcardsAndTypesThatBreakSpringsParserAreRefused(String contentType) {
		assertThat(MalformedRequestFilter.isConcreteMediaType(contentType)).isFalse();
	}

	@Test
	void noAcceptIsNoTypes() {
		assertThat(MalformedRequestFilter.acceptedTypes(Collections.emptyEnumeration())).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"a/b", ",,,", "", " ", "*/*;q=abc", "application/json;q=2",
			"application/json; charset=ISO-8859-1", "text/plain;charset=UTF-16, application/json" })
	void acceptThatIsNotAUtf8ListIsRefused(String accept) {
		assertThat(MalformedRequestFilter.acceptedTypes(accepts(accept))).isNull();
	}

	@Test
	void acceptListsAtMostTwentyTypesInAllHeaders() {
		String twenty = String.join(", ", Collections.nCopies(20, "application/json"));
		assertThat(MalformedRequestFilter.acceptedTypes(accepts(twenty))).hasSize(20);
		assertThat(MalformedRequestFilter.acceptedTypes(accepts(twenty, "text/plain"))).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/json", "*/*", "application/*", "application/json; charset=UTF-8",
			"text/html, application/*;q=0.5", "application/json;q=0, */*" })
	void writesNeedAcceptToAdmitJson(String accept) {
		assertThat(MalformedRequestFilter.acceptsJson(MalformedRequestFilter.acceptedTypes(accepts(accept)))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/html", "application/problem+json", "application/json;q=0", "application/yaml" })
	void writesAreRefusedWhenAcceptExcludesJson(String accept) {
		assertThat(MalformedRequestFilter.acceptsJson(MalformedRequestFilter.acceptedTypes(accepts(accept)))).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/problem+json", "application/json", "*/*" })
	void deleteAnswersNothingOnSuccessSoAdmittingItsProblemsIsEnough(String accept) {
		assertThat(
				MalformedRequestFilter.acceptsAnswer("DELETE", MalformedRequestFilter.acceptedTypes(accepts(accept))))
			.isTrue();
		assertThat(MalformedRequestFilter.acceptsAnswer("POST", MalformedRequestFilter.acceptedTypes(accepts(accept))))
			.isEqualTo(!accept.equals("application/problem+json"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/html", "application/yaml", "application/problem+json;q=0" })
	void deleteIsRefusedWhenAcceptExcludesBothJsonAndProblems(String accept) {
		assertThat(
				MalformedRequestFilter.acceptsAnswer("DELETE", MalformedRequestFilter.acceptedTypes(accepts(accept))))
			.isFalse();
	}

	@Test
	void noAcceptAdmitsJson() {
		assertThat(MalformedRequestFilter.acceptsJson(List.<MediaType>of())).isTrue();
	}

	private static Enumeration<String> accepts(String... values) {
		return Collections.enumeration(List.of(values));
	}

}
