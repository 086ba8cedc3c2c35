package io.puraifi.enginecontrol;

import java.nio.file.Path;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's files over real HTTP, without a browser: served without engine
 * credentials, under a Content-Security-Policy that allows nothing inline, no other
 * origin and no framing; the API it calls still wants the operator's headers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleIntegrationTests {

	private static final String ADMIN_KEY = "console-tests-admin-key-0123456789abcdef";

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
	}

	@LocalServerPort
	int port;

	@Test
	void consolePageIsServedWithoutCredentialsUnderAStrictContentSecurityPolicy() {
		Response page = new EngineControlClient(this.port, null, null).withHeader("Accept", "text/html")
			.get("/console");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.contentType()).startsWith("text/html");
		assertThat(page.body()).contains("<script type=\"module\" src=\"/console/console.js\"></script>")
			.doesNotContain("<script>")
			.doesNotContain("style=")
			.doesNotContain("http://")
			.doesNotContain("https://");
		String policy = page.header("Content-Security-Policy");
		assertThat(policy).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
				"frame-ancestors 'none'");
		assertThat(policy).doesNotContain("unsafe-inline", "unsafe-eval", "http");
		assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
		assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
	}

	@Test
	void consoleWithATrailingSlashRedirectsToTheConsole() {
		Response redirect = new EngineControlClient(this.port, null, null).get("/console/");
		assertThat(redirect.status()).isEqualTo(302);
		assertThat(redirect.header("Location")).endsWith("/console");
	}

	@Test
	void consoleScriptAndStylesAreServedWithoutCredentials() {
		EngineControlClient anonymous = new EngineControlClient(this.port, null, null);
		Response script = anonymous.get("/console/console.js");
		assertThat(script.status()).isEqualTo(200);
		assertThat(script.contentType()).contains("javascript");
		assertThat(script.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
		assertThat(script.body()).doesNotContain("innerHTML").doesNotContain("eval(");
		Response styles = anonymous.get("/console/console.css");
		assertThat(styles.status()).isEqualTo(200);
		assertThat(styles.contentType()).startsWith("text/css");
	}

	@Test
	void apiCallsStillNeedTheOperatorsHeaders() {
		assertThat(new EngineControlClient(this.port, null, null).get("/admin/flags").status()).isEqualTo(401);
		assertThat(new EngineControlClient(this.port, "admin", ADMIN_KEY).get("/admin/flags").status()).isEqualTo(200);
	}

	@Test
	void unknownConsoleFileIsAProblemNotAnAuthenticationFailure() {
		Response missing = new EngineControlClient(this.port, null, null).get("/console/missing.js");
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.contentType()).startsWith("application/problem+json");
	}

}
