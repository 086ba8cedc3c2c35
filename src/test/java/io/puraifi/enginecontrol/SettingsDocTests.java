package io.puraifi.enginecontrol;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.puraifi.enginecontrol.system.EngineControlProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings table of {@code docs/operations.md} lists every {@code engine-control.*}
 * setting that {@link EngineControlProperties} binds, and no other, so a new setting
 * cannot go undocumented and a removed one cannot linger.
 */
class SettingsDocTests {

	static final Path PAGE = Path.of("docs/operations.md");

	private static final Pattern ROW = Pattern.compile("(?m)^\\| `(engine-control\\.[a-z0-9.-]+)`");

	@Test
	void theSettingsTableListsEverySettingAndNoOther() throws IOException {
		Set<String> bound = new TreeSet<>();
		collect("engine-control", EngineControlProperties.class, bound);
		bound.add("engine-control.db.url");
		bound.add("engine-control.db.username");
		bound.add("engine-control.db.password");
		Set<String> documented = new TreeSet<>();
		Matcher matcher = ROW.matcher(Files.readString(PAGE, StandardCharsets.UTF_8));
		while (matcher.find()) {
			documented.add(matcher.group(1));
		}
		assertThat(bound).as("settings bound by EngineControlProperties").hasSizeGreaterThan(50);
		assertThat(documented).as("rows of the settings table in " + PAGE).containsExactlyInAnyOrderElementsOf(bound);
	}

	@Test
	void namesAreTheKebabCaseOfTheRecordComponents() {
		Set<String> names = new TreeSet<>();
		collect("engine-control", EngineControlProperties.class, names);
		assertThat(names).contains("engine-control.data-dir", "engine-control.auth-limits.trusted-proxies",
				"engine-control.propagation.change-log-retention-interval", "engine-control.quotas.max-block");
	}

	/**
	 * The settings a record binds: one per component, nested records of the properties
	 * class recursed into.
	 */
	static void collect(String prefix, Class<?> type, Set<String> names) {
		for (RecordComponent component : type.getRecordComponents()) {
			String name = prefix + "." + kebab(component.getName());
			Class<?> value = component.getType();
			if (value.isRecord() && value.getEnclosingClass() == EngineControlProperties.class) {
				collect(name, value, names);
			}
			else {
				names.add(name);
			}
		}
	}

	static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
	}

}
