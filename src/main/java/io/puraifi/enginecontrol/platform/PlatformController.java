package io.puraifi.enginecontrol.platform;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.puraifi.enginecontrol.system.NoControlCharacters;
import io.puraifi.enginecontrol.system.Names;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class PlatformController {

	private final PlatformCatalog catalog;

	private final Clock clock;

	PlatformController(PlatformCatalog catalog, Clock clock) {
		this.catalog = catalog;
		this.clock = clock;
	}

	@Operation(operationId = "listPlatforms", summary = "List platforms with their statuses and actions")
	@GetMapping("/platforms/list")
	PlatformListResponse list() {
		Instant now = this.clock.instant();
		return new PlatformListResponse(
				this.catalog.all().stream().map((platform) -> PlatformResponse.of(platform, now)).toList());
	}

	@Operation(operationId = "setPlatformStatus", summary = "Set a platform's status",
			description = "Checks are denied while a platform is in `maintenance` or `disabled`.")
	@PutMapping("/admin/platforms/{platform}/status")
	PlatformResponse setStatus(@PathVariable @Pattern(regexp = Names.NAME, message = Names.NAME_RULE) String platform,
			@Valid @RequestBody PlatformStatusRequest request) {
		return PlatformResponse.of(this.catalog.setStatus(platform, request.status(), request.message()),
				this.clock.instant());
	}

	record PlatformStatusRequest(@NotNull PlatformStatus status,
			@Size(max = 500) @NoControlCharacters(freeText = true) String message) {
	}

	record PlatformListResponse(List<PlatformResponse> platforms) {
	}

	/**
	 * A platform as engines see it: {@code status} and {@code message} are the effective
	 * ones (a maintenance window in effect shows as {@code maintenance} with its
	 * message), {@code configured_status} is what an operator set, and
	 * {@code maintenance_window} the window in effect, else the next one.
	 */
	record PlatformResponse(String platform, String displayName, String version, PlatformStatus status, String message,
			PlatformStatus configuredStatus, WindowResponse maintenanceWindow, List<ActionResponse> actions,
			Instant updatedAt) {

		static PlatformResponse of(Platform platform, Instant now) {
			List<ActionResponse> actions = platform.actions()
				.entrySet()
				.stream()
				.map((entry) -> new ActionResponse(entry.getKey(), entry.getValue()))
				.toList();
			Availability availability = platform.availabilityAt(now);
			MaintenanceWindow window = platform.currentOrNextWindow(now);
			return new PlatformResponse(platform.name(), platform.displayName(), platform.version(),
					availability.status(), availability.message(), platform.status(),
					(window != null) ? WindowResponse.of(window, now) : null, actions, platform.updatedAt());
		}

	}

	record WindowResponse(String id, Instant startsAt, Instant endsAt, String message, MaintenanceWindow.State state) {

		static WindowResponse of(MaintenanceWindow window, Instant now) {
			return new WindowResponse(window.id(), window.startsAt(), window.endsAt(), window.message(),
					window.stateAt(now));
		}

	}

	record ActionResponse(String actionType, List<String> requiredScopes) {
	}

}
