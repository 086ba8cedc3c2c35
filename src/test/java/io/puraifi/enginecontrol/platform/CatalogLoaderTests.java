package io.puraifi.enginecontrol.platform;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;

import io.puraifi.enginecontrol.system.Names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class CatalogLoaderTests {

	@Test
	void readWhenBundledCatalogThenSeedPlatformsAndScopes() {
		Map<String, PlatformDefinition> platforms = CatalogLoader.read(new ClassPathResource("catalog.yml"))
			.stream()
			.collect(Collectors.toMap(PlatformDefinition::name, Function.identity()));
		assertThat(platforms).containsKeys("gmail", "google_calendar", "slack");
		assertThat(platforms.get("gmail").actions()).containsEntry("send_email", List.of("mail.send"))
			.containsEntry("read_email", List.of("mail.read"));
		assertThat(platforms.get("google_calendar").actions()).containsEntry("create_event",
				List.of("calendar.events"));
		assertThat(platforms.get("slack").actions()).containsEntry("post_message", List.of("chat.write"));
		assertThat(platforms.get("gmail").displayName()).isEqualTo("Gmail");
		assertThat(platforms.get("gmail").version()).isEqualTo("v1");
	}

	@Test
	void readWhenQuotedVersionLooksLikeDateThenKeptAsWritten() {
		PlatformDefinition notion = CatalogLoader.read(new ClassPathResource("catalog.yml"))
			.stream()
			.filter((definition) -> definition.name().equals("notion"))
			.findFirst()
			.orElseThrow();
		assertThat(notion.version()).isEqualTo("2022-06-28");
	}

	@Test
	void readWhenDisplayNameAndVersionMissingThenDefaults() {
		List<PlatformDefinition> definitions = CatalogLoader.read(yaml("""
				platforms:
				  fax:
				    actions:
				      send_fax: [fax.send, fax.read]
				"""));
		assertThat(definitions).containsExactly(
				new PlatformDefinition("fax", "fax", "1", Map.of("send_fax", List.of("fax.send", "fax.read"))));
	}

	@Test
	void readWhenDocumentNotMappingThenFails() {
		assertThatIllegalStateException().isThrownBy(() -> CatalogLoader.read(yaml("- gmail\n- slack\n")))
			.withMessageContaining("the catalog must be a mapping");
	}

	@Test
	void readWhenPlatformsMissingThenFails() {
		assertThatIllegalStateException().isThrownBy(() -> CatalogLoader.read(yaml("apps: {}\n")))
			.withMessageContaining("platforms must be a mapping");
	}

	@Test
	void readWhenPlatformNameInvalidThenFailsNamingIt() {
		assertThatIllegalStateException().isThrownBy(() -> CatalogLoader.read(yaml("""
				platforms:
				  Gmail:
				    actions:
				      send_email: [mail.send]
				"""))).withMessageContaining("platform 'Gmail' " + Names.NAME_RULE);
	}

	@Test
	void readWhenActionNameInvalidThenFailsNamingIt() {
		assertThatIllegalStateException().isThrownBy(() -> CatalogLoader.read(yaml("""
				platforms:
				  gmail:
				    actions:
				      send-email: [mail.send]
				"""))).withMessageContaining("action of gmail 'send-email' " + Names.NAME_RULE);
	}

	@Test
	void readWhenActionsMissingThenFails() {
		assertThatIllegalStateException().isThrownBy(() -> CatalogLoader.read(yaml("""
				platforms:
				  gmail:
				    version: v1
				"""))).withMessageContaining("actions of gmail must be a mapping");
	}

	@Test
	void readWhenScopesNotListThenFailsNamingAction() {
		assertThatIllegalStateException().isThrownBy(() -> CatalogLoader.read(yaml("""
				platforms:
				  gmail:
				    actions:
				      send_email: mail.send
				"""))).withMessageContaining("scopes of gmail.send_email must be a list");
	}

	@Test
	void readWhenScopeHasWhitespaceThenFailsNamingScope() {
		assertThatIllegalStateException().isThrownBy(() -> CatalogLoader.read(yaml("""
				platforms:
				  gmail:
				    actions:
				      send_email: ["mail send"]
				"""))).withMessageContaining("scope 'mail send' of gmail.send_email is not a scope name");
	}

	@Test
	void readWhenNotYamlThenFailsNamingCatalog() {
		assertThatIllegalStateException().isThrownBy(() -> CatalogLoader.read(yaml("platforms: [unclosed\n")))
			.withMessageContaining("Cannot read the platform catalog");
	}

	private static ByteArrayResource yaml(String text) {
		return new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8), "test catalog");
	}

}
