package io.puraifi.enginecontrol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operators' pages name tests as proof ({@code docs/guarantees.md} beside each
 * promise, {@code docs/operators.md} and {@code docs/operations.md} here and there):
 * every test class and {@code Class.method} they name exists, so a renamed or deleted
 * test fails the build instead of leaving a promise without proof.
 */
class GuaranteesDocTests {

	static final List<Path> PAGES = List.of(Path.of("docs/guarantees.md"), Path.of("docs/operators.md"),
			Path.of("docs/operations.md"));

	static final Path TESTS = Path.of("src/test/java");

	private static final Pattern REFERENCE = Pattern
		.compile("\\b([A-Z][A-Za-z0-9]*Tests)(?:\\.([a-z][A-Za-z0-9]*))?\\b");

	@Test
	void everyTestThePagesNameExists() throws IOException {
		Map<String, Path> classes = testClasses();
		List<String> missing = new ArrayList<>();
		int methods = 0;
		for (Path page : PAGES) {
			Matcher matcher = REFERENCE.matcher(Files.readString(page, StandardCharsets.UTF_8));
			while (matcher.find()) {
				String type = matcher.group(1);
				String method = matcher.group(2);
				Path source = classes.get(type);
				if (source == null) {
					missing.add(page.getFileName() + ": class " + type);
				}
				else if (method != null) {
					methods++;
					if (!declares(source, method, classes)) {
						missing.add(page.getFileName() + ": " + type + "." + method);
					}
				}
			}
		}
		assertThat(methods).as("test methods named by the pages").isGreaterThanOrEqualTo(50);
		assertThat(missing).as("tests the pages name that do not exist").isEmpty();
	}

	@Test
	void aMisspelledMethodIsFound() {
		Map<String, Path> classes = testClasses();
		Path self = classes.get("GuaranteesDocTests");
		assertThat(declares(self, "everyTestThePagesNameExists", classes)).isTrue();
		assertThat(declares(self, "everyTestThePagesNameExist", classes)).isFalse();
	}

	/**
	 * Whether the test class, or a test class it extends, declares the method.
	 */
	static boolean declares(Path source, String method, Map<String, Path> classes) {
		String text = read(source);
		if (Pattern.compile("\\bvoid\\s+" + Pattern.quote(method) + "\\s*\\(").matcher(text).find()) {
			return true;
		}
		Matcher parent = Pattern.compile("\\bextends\\s+([A-Z][A-Za-z0-9]*Tests)\\b").matcher(text);
		return parent.find() && Optional.ofNullable(classes.get(parent.group(1)))
			.map((it) -> declares(it, method, classes))
			.orElse(false);
	}

	static Map<String, Path> testClasses() {
		try (Stream<Path> files = Files.walk(TESTS)) {
			return files.filter((it) -> it.getFileName().toString().endsWith("Tests.java"))
				.collect(Collectors.toMap((it) -> it.getFileName().toString().replace(".java", ""), Function.identity(),
						(first, second) -> first));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path source) {
		try {
			return Files.readString(source, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
