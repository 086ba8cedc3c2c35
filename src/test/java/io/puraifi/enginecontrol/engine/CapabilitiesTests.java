package io.puraifi.enginecontrol.engine;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * Enrollment ceilings and capability patches as tables of cases.
 */
class CapabilitiesTests {

	private static final Map<String, List<String>> CEILING = Map.of("gmail", List.of("read_email", "send_email"),
			"slack", List.of("post_message"));

	static Stream<Arguments> intersections() {
		return Stream.of(
				argumentSet("all inside", Map.of("gmail", List.of("read_email")),
						Map.of("gmail", List.of("read_email")), Map.of()),
				argumentSet("one action outside", Map.of("gmail", List.of("read_email", "delete_email")),
						Map.of("gmail", List.of("read_email")), Map.of("gmail", List.of("delete_email"))),
				argumentSet("a whole platform outside",
						Map.of("gmail", List.of("send_email"), "google_calendar", List.of("create_event")),
						Map.of("gmail", List.of("send_email")), Map.of("google_calendar", List.of("create_event"))),
				argumentSet("nothing inside", Map.of("fax", List.of("send")), Map.of(), Map.of("fax", List.of("send"))),
				argumentSet("nothing asked", Map.of(), Map.of(), Map.of()),
				argumentSet("the whole ceiling", CEILING, CEILING, Map.of()));
	}

	@ParameterizedTest
	@MethodSource("intersections")
	void intersectSplitsRequestedByCeiling(Map<String, List<String>> requested, Map<String, List<String>> granted,
			Map<String, List<String>> notGranted) {
		Capabilities.Split split = Capabilities.intersect(requested, CEILING);
		assertThat(split.granted()).isEqualTo(Engine.sorted(granted));
		assertThat(split.notGranted()).isEqualTo(Engine.sorted(notGranted));
	}

	@Test
	void intersectWithEmptyCeilingGrantsNothing() {
		Capabilities.Split split = Capabilities.intersect(CEILING, Map.of());
		assertThat(split.granted()).isEmpty();
		assertThat(split.notGranted()).isEqualTo(Engine.sorted(CEILING));
	}

	static Stream<Arguments> patches() {
		Map<String, List<String>> current = Map.of("gmail", List.of("send_email"), "slack", List.of("post_message"));
		return Stream.of(
				argumentSet("add an action", current, Map.of("gmail", List.of("read_email")), null,
						Map.of("gmail", List.of("read_email", "send_email"), "slack", List.of("post_message"))),
				argumentSet("add a platform", current, Map.of("google_calendar", List.of("create_event")), null,
						Map.of("gmail", List.of("send_email"), "slack", List.of("post_message"), "google_calendar",
								List.of("create_event"))),
				argumentSet("remove the last action drops the platform", current, null,
						Map.of("slack", List.of("post_message")), Map.of("gmail", List.of("send_email"))),
				argumentSet("remove what is not held", current, null, Map.of("gmail", List.of("read_email")), current),
				argumentSet("add what is held", current, Map.of("gmail", List.of("send_email")), null, current),
				argumentSet("add and remove at once", current, Map.of("gmail", List.of("read_email")),
						Map.of("slack", List.of("post_message")), Map.of("gmail", List.of("read_email", "send_email"))),
				argumentSet("neither", current, null, null, current));
	}

	@ParameterizedTest
	@MethodSource("patches")
	void patchAddsThenRemoves(Map<String, List<String>> current, Map<String, List<String>> add,
			Map<String, List<String>> remove, Map<String, List<String>> expected) {
		assertThat(Capabilities.patch(current, add, remove)).isEqualTo(Engine.sorted(expected));
	}

	@Test
	void patchWhenSameActionAddedAndRemovedThenRefusedNamingIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Capabilities.patch(Map.of(), Map.of("gmail", List.of("read_email", "send_email")),
					Map.of("gmail", List.of("send_email"))))
			.withMessageContaining("gmail.send_email")
			.withMessageNotContaining("read_email");
	}

}
