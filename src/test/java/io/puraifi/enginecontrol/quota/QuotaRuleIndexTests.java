package io.puraifi.enginecontrol.quota;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaRuleIndexTests {

	private static final List<QuotaLimit> LIMITS = List.of(new QuotaLimit(10, Duration.ofHours(1)));

	private static final QuotaRule MAILER_SEND = new QuotaRule("mailer-send", "mailer", "gmail", "send_email", LIMITS,
			QuotaMode.ENFORCE);

	private static final QuotaRule GMAIL_ALL = new QuotaRule("gmail-all", null, "gmail", "*", LIMITS, QuotaMode.SHADOW);

	private static final QuotaRule REPORTER_GMAIL = new QuotaRule("reporter-gmail", "reporter", "gmail", "*", LIMITS,
			QuotaMode.ENFORCE);

	private static final QuotaRule SLACK_POST = new QuotaRule("a-slack", null, "slack", "post_message", LIMITS,
			QuotaMode.ENFORCE);

	private final QuotaRuleIndex index = QuotaRuleIndex.of(List.of(MAILER_SEND, SLACK_POST, REPORTER_GMAIL, GMAIL_ALL));

	@Test
	void aCheckGetsTheRulesOfItsEngineOrEveryEngineForItsActionOrEveryActionSortedByName() {
		assertThat(this.index.matching("mailer", "gmail", "send_email")).containsExactly(GMAIL_ALL, MAILER_SEND);
		assertThat(this.index.matching("mailer", "gmail", "read_inbox")).containsExactly(GMAIL_ALL);
		assertThat(this.index.matching("reporter", "gmail", "send_email")).containsExactly(GMAIL_ALL, REPORTER_GMAIL);
		assertThat(this.index.matching("mailer", "slack", "post_message")).containsExactly(SLACK_POST);
		assertThat(this.index.matching("mailer", "slack", "read")).isEmpty();
		assertThat(this.index.matching("mailer", "github", "push")).isEmpty();
	}

	@Test
	void anEngineSeesItsOwnRulesAndThoseOfEveryEngineOnly() {
		assertThat(this.index.forEngine("mailer")).containsExactly(SLACK_POST, GMAIL_ALL, MAILER_SEND);
		assertThat(this.index.forEngine("reporter")).containsExactly(SLACK_POST, GMAIL_ALL, REPORTER_GMAIL);
		assertThat(this.index.forEngine("other")).containsExactly(SLACK_POST, GMAIL_ALL);
	}

	@Test
	void anEmptyIndexMatchesNothing() {
		QuotaRuleIndex empty = QuotaRuleIndex.of(List.of());
		assertThat(empty.matching("mailer", "gmail", "send_email")).isEmpty();
		assertThat(empty.all()).isEmpty();
	}

}
