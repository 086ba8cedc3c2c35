package io.puraifi.enginecontrol.platform;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class PlatformController {

	private final PlatformCatalog catalog;

	PlatformController(PlatformCatalog catalog) {
		this.catalog = catalog;
	}

	@Operation(summary = "List platforms with their statuses and actions")
	@GetMapping("/platforms/list")
	PlatformListResponse list() {
		return new PlatformListResponse(this.catalog.all().stream().map(PlatformResponse::of).toList());
	}

	@Operation(summary = "Set a platform's status",
			description = "Checks are denied while a platform is in `maintenance` or `disabled`.")
	@PutMapping("/admin/platforms/{platform}/status")
	PlatformResponse setStatus(@PathVariable @Pattern(regexp = "^[a-z][a-z0-9_]{0,63}$") String platform,
			@Valid @RequestBody PlatformStatusRequest request) {
		return PlatformResponse.of(this.catalog.setStatus(platform, request.status(), request.message()));
	}

	record PlatformStatusRequest(@NotNull PlatformStatus status, @Size(max = 500) String message) {
	}

	record PlatformListResponse(List<PlatformResponse> platforms) {
	}

	record PlatformResponse(String platform, String displayName, String version, PlatformStatus status, String message,
			List<ActionResponse> actions, Instant updatedAt) {

		static PlatformResponse of(Platform platform) {
			List<ActionResponse> actions = platform.actions()
				.entrySet()
				.stream()
				.map((entry) -> new ActionResponse(entry.getKey(), entry.getValue()))
				.toList();
			return new PlatformResponse(platform.name(), platform.displayName(), platform.version(), platform.status(),
					platform.statusMessage(), actions, platform.updatedAt());
		}

	}

	record ActionResponse(String actionType, List<String> requiredScopes) {
	}

}
