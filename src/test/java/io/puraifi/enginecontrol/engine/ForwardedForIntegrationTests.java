package io.puraifi.enginecontrol.engine;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.puraifi.enginecontrol.support.ContractValidator;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no trusted proxy configured, {@code X-Forwarded-For} changes no client address,
 * over real HTTP, even where Spring Boot would otherwise apply forwarded headers itself
 * (on Kubernetes, here forced with {@code spring.main.cloud-platform}), believing them
 * from any private address such as loopback.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.cloud-platform=kubernetes")
class ForwardedForIntegrationTests {

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> "forwarded-for-tests-admin-key-0123456789");
	}

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void forwardedForFromAnUntrustedPeerIsIgnoredOnKubernetesToo() throws Exception {
		for (int i = 0; i < 10; i++) {
			assertThat(wrongKey("203.0.113." + i).statusCode()).isEqualTo(401);
		}
		assertThat(wrongKey("198.51.100.1").statusCode()).as("counted under the peer, loopback, not the header")
			.isEqualTo(429);
	}

	private HttpResponse<String> wrongKey(String forwardedFor) throws IOException, InterruptedException {
		return ContractValidator
			.check(this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/config/global"))
				.header("X-Forwarded-For", forwardedFor)
				.header("X-Engine-ID", "nobody")
				.header("X-Engine-Key", "ec_wrong")
				.build(), HttpResponse.BodyHandlers.ofString()), null);
	}

}
