package io.puraifi.enginecontrol.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineTests {

	private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

	@Test
	void enginesOfOneKindShareOneCopyOfTheirCapabilities() {
		Engine first = engine("mailer-1",
				Map.of("gmail", List.of("send_email", "read_email"), "slack", List.of("post_message")));
		Engine second = engine("mailer-2",
				Map.of("slack", List.of("post_message"), "gmail", List.of("read_email", "send_email")));
		Engine other = engine("reader", Map.of("gmail", List.of("read_email", "send_email")));
		assertThat(second.capabilities()).isSameAs(first.capabilities());
		assertThat(other.capabilities().get("gmail")).as("an equal action set, in another map")
			.isSameAs(first.capabilities().get("gmail"));
		assertThat(other.capabilities()).isNotSameAs(first.capabilities());
	}

	@Test
	void capabilitiesAreSortedAndUnmodifiable() {
		Engine engine = engine("mailer",
				Map.of("slack", List.of("post_message"), "gmail", List.of("send_email", "read_email")));
		assertThat(engine.capabilities().keySet()).containsExactly("gmail", "slack");
		assertThat(engine.capabilities().get("gmail")).containsExactly("read_email", "send_email");
		assertThatThrownBy(() -> engine.capabilities().get("gmail").add("delete_email"))
			.isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> engine.capabilities().remove("gmail"))
			.isInstanceOf(UnsupportedOperationException.class);
		assertThat(engine.isGranted("gmail", "send_email")).isTrue();
		assertThat(engine.isGranted("gmail", "delete_email")).isFalse();
	}

	private static Engine engine(String id, Map<String, List<String>> capabilities) {
		return new Engine(id, null, EngineRole.ENGINE, EngineStatus.ACTIVE, Engine.sorted(capabilities), NOW, NOW);
	}

}
