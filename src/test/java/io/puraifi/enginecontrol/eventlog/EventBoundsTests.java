package io.puraifi.enginecontrol.eventlog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.puraifi.enginecontrol.system.Names;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits on an event's shape and size, as a table of cases: message length 10, at
 * most 5 attribute entries, depth 2, string values of at most 8 characters.
 */
class EventBoundsTests {

	private final EventBounds bounds = new EventBounds(10, 5, 2, 8);

	static List<Arguments> cases() {
		return List.of(Arguments.of("no attributes", event("m", null), List.of()),
				Arguments.of("flat map within bounds", event("0123456789", Map.of("a", 1, "b", "12345678")), List.of()),
				Arguments.of("one nested level", event(null, Map.of("a", Map.of("b", true))), List.of()),
				Arguments.of("list of scalars", event(null, Map.of("a", List.of(1, 2, 3))), List.of()),
				Arguments.of("message too long", event("01234567890", null), List.of("message")),
				Arguments.of("string value too long", event(null, Map.of("a", "123456789")), List.of("attributes.a")),
				Arguments.of("long string in a list", event(null, Map.of("a", List.of("ok", "123456789"))),
						List.of("attributes.a[1]")),
				Arguments.of("too deep: map in map in map", event(null, Map.of("a", Map.of("b", Map.of("c", 1)))),
						List.of("attributes.a.b")),
				Arguments.of("too deep: list in list in map", event(null, Map.of("a", List.of(List.of(1)))),
						List.of("attributes.a[0]")),
				Arguments.of("too many keys", event(null, keys(6)), List.of("attributes")),
				Arguments.of("nested entries count too", event(null, Map.of("a", List.of(1, 2, 3, 4, 5))),
						List.of("attributes")),
				Arguments.of("key too long", event(null, Map.of("k".repeat(65), 1)), List.of("attributes")),
				Arguments.of("empty key", event(null, Map.of("", 1)), List.of("attributes")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void violationsName(String description, EventLog.NewEvent event, List<String> fields) {
		assertThat(this.bounds.violations("", event)).extracting((error) -> error.get("field"))
			.containsExactlyElementsOf(fields);
	}

	@Test
	void missingLevelAndTypeAndBadTypeAreNamedWithThePrefix() {
		assertThat(this.bounds.violations("events[3].", new EventLog.NewEvent(null, null, null, null, null)))
			.extracting((error) -> error.get("field"))
			.containsExactly("events[3].level", "events[3].event_type");
		assertThat(this.bounds.violations("", new EventLog.NewEvent(EventLevel.INFO, "Bad Type", null, null, null)))
			.singleElement()
			.satisfies((error) -> assertThat(error.get("message")).isEqualTo(Names.EVENT_TYPE_RULE));
	}

	@Test
	void attributesOverTheColumnAsJsonAreRefused() {
		assertThat(this.bounds.jsonViolations("", EventBounds.MAX_ATTRIBUTES_JSON)).isEmpty();
		assertThat(this.bounds.jsonViolations("", EventBounds.MAX_ATTRIBUTES_JSON + 1)).hasSize(1);
	}

	@Test
	void errorsAreCappedSoAHostileBodyCannotInflateTheAnswer() {
		Map<String, Object> attributes = new LinkedHashMap<>();
		IntStream.range(0, 100).forEach((i) -> attributes.put("k" + i, "x".repeat(20)));
		assertThat(this.bounds.violations("", event(null, attributes))).hasSize(20);
	}

	private static EventLog.NewEvent event(String message, Map<String, Object> attributes) {
		return new EventLog.NewEvent(EventLevel.INFO, "started", message, attributes, null);
	}

	private static Map<String, Object> keys(int count) {
		Map<String, Object> map = new LinkedHashMap<>();
		IntStream.range(0, count).forEach((i) -> map.put("k" + i, i));
		return map;
	}

}
