package io.puraifi.enginecontrol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docs hold together: the README stays a front door (at most 300 lines), and every
 * relative link of the README and of {@code docs/*.md} names a file that exists and, with
 * a {@code #fragment}, a heading (or an {@code id}) of that page, as GitHub makes
 * anchors.
 */
class DocsLinksTests {

	private static final Pattern FENCED = Pattern.compile("^```.*?^```", Pattern.DOTALL | Pattern.MULTILINE);

	private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

	private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.+?) *$", Pattern.MULTILINE);

	private static final Pattern HTML_ID = Pattern.compile("<a id=\"([^\"]+)\"></a>");

	@Test
	void readmeIsAtMost300Lines() throws IOException {
		assertThat(Files.readAllLines(Path.of("README.md"))).hasSizeLessThanOrEqualTo(300);
	}

	@Test
	void everyRelativeLinkOfTheDocsNamesAFileAndAHeadingThatExist() throws IOException {
		List<String> broken = new ArrayList<>();
		int checked = 0;
		for (Path page : pages()) {
			Matcher link = LINK.matcher(prose(page));
			while (link.find()) {
				String target = link.group(1);
				if (target.matches("^[a-z]+:.*")) {
					continue;
				}
				int hash = target.indexOf('#');
				String file = (hash >= 0) ? target.substring(0, hash) : target;
				Path linked = file.isEmpty() ? page : page.resolveSibling(file).normalize();
				checked++;
				if (!Files.exists(linked)) {
					broken.add(page + ": " + target + " (no such file)");
				}
				else if (hash >= 0 && linked.toString().endsWith(".md")
						&& !anchors(linked).contains(target.substring(hash + 1))) {
					broken.add(page + ": " + target + " (no such heading)");
				}
			}
		}
		assertThat(checked).isGreaterThan(20);
		assertThat(broken).isEmpty();
	}

	@Test
	void anchorsAreMadeFromHeadingsAsGitHubMakesThem() {
		assertThat(anchor("Engines, keys and enrollment")).isEqualTo("engines-keys-and-enrollment");
		assertThat(anchor("What a check sends and answers")).isEqualTo("what-a-check-sends-and-answers");
		assertThat(anchor("A check's path")).isEqualTo("a-checks-path");
		assertThat(anchor("`retry_after` and the rest")).isEqualTo("retry_after-and-the-rest");
	}

	private static List<Path> pages() throws IOException {
		List<Path> pages = new ArrayList<>();
		pages.add(Path.of("README.md"));
		try (Stream<Path> docs = Files.list(Path.of("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		return pages;
	}

	/** The page without its fenced code blocks. */
	private static String prose(Path page) throws IOException {
		return FENCED.matcher(Files.readString(page, StandardCharsets.UTF_8)).replaceAll("");
	}

	private static Set<String> anchors(Path page) throws IOException {
		String prose = prose(page);
		Set<String> anchors = new HashSet<>();
		Matcher heading = HEADING.matcher(prose);
		while (heading.find()) {
			anchors.add(anchor(heading.group(1)));
		}
		Matcher id = HTML_ID.matcher(prose);
		while (id.find()) {
			anchors.add(id.group(1));
		}
		return anchors;
	}

	/**
	 * GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens.
	 */
	static String anchor(String heading) {
		return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
	}

}
