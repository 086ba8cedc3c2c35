package io.puraifi.enginecontrol.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record that carries a key or an enrollment token never shows it in
 * {@code toString()}, so a log line or an exception message that prints one leaks
 * nothing.
 */
class SecretRecordsTests {

	private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

	private static final String KEY = EngineKeys.generate();

	private static final String TOKEN = EngineKeys.generateEnrollmentToken();

	private final Engine engine = new Engine("mailer", null, EngineRole.ENGINE, EngineStatus.ACTIVE,
			Engine.sorted(Map.of("gmail", List.of("send_email"))), NOW, NOW);

	@Test
	void registrationEnrollmentAndRotationHideTheKey() {
		assertHidden(new EngineRegistrationService.Registration(this.engine, KEY), KEY, "mailer");
		assertHidden(new EngineRegistrationService.Enrollment(this.engine, KEY, Engine.sorted(Map.of())), KEY,
				"mailer");
		assertHidden(new EngineKeyService.Rotation("key-1", KEY, NOW, NOW), KEY, "key-1");
	}

	@Test
	void answersThatShowAKeyOnceHideItFromToString() {
		assertHidden(new EngineController.RegisterResponse("mailer", KEY, this.engine.capabilities(), NOW), KEY,
				"mailer");
		assertHidden(new EngineController.EnrollResponse("mailer", KEY, this.engine.capabilities(),
				Engine.sorted(Map.of()), NOW), KEY, "mailer");
		assertHidden(new EngineKeyController.RotateResponse("key-1", KEY, NOW, NOW), KEY, "key-1");
		assertHidden(new EngineController.ValidateRequest("mailer", KEY), KEY, "mailer");
	}

	@Test
	void enrollmentTokensAreHiddenFromToString() {
		EnrollmentToken token = new EnrollmentToken("token-1", null, Map.of("gmail", List.of("send_email")), 1, NOW,
				NOW, "admin");
		assertHidden(new EnrollmentTokens.Created(token, TOKEN), TOKEN, "token-1");
		assertHidden(
				new EnrollmentTokenController.CreatedResponse("token-1", TOKEN, NOW, 1, this.engine.capabilities()),
				TOKEN, "token-1");
	}

	private static void assertHidden(Record record, String secret, String shown) {
		assertThat(record.toString()).contains(shown, "(hidden)")
			.doesNotContain(secret)
			.doesNotContain(secret.substring(0, 12))
			.doesNotContain(EngineKeys.hash(secret));
	}

}
