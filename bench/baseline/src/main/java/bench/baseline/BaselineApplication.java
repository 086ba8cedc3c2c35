package bench.baseline;

import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The same body in, a constant answer of the same shape out: what Spring MVC, Jackson and
 * Tomcat cost on their own.
 */
@SpringBootApplication
@RestController
public class BaselineApplication {

	private static final CheckResponse ALLOWED = new CheckResponse(true, "ALLOWED", "Allowed", List.of("mail.send"),
			"bench", "gmail", "send_email", "available", 0);

	public static void main(String[] args) {
		SpringApplication.run(BaselineApplication.class, args);
	}

	@PostMapping("/actions/check")
	CheckResponse check(@RequestBody CheckRequest request) {
		return ALLOWED;
	}

	record CheckRequest(String engineId, String platform, String actionType, Long minRevision) {
	}

	record CheckResponse(boolean allowed, String reason, String message, List<String> requiredScopes,
			String engineId, String platform, String actionType, String platformStatus, long revision) {
	}

}
