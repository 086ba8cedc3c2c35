package io.puraifi.enginecontrol.platform;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.puraifi.enginecontrol.system.NoControlCharacters;
import io.puraifi.enginecontrol.system.Names;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class MaintenanceWindowController {

	private final PlatformCatalog catalog;

	private final Clock clock;

	MaintenanceWindowController(PlatformCatalog catalog, Clock clock) {
		this.catalog = catalog;
		this.clock = clock;
	}

	@Operation(operationId = "scheduleMaintenanceWindow", summary = "Schedule a maintenance window for a platform")
	@ApiResponse(responseCode = "201", description = "Scheduled")
	@ApiResponse(responseCode = "409", description = "The platform has as many windows scheduled as it may")
	@PostMapping("/admin/platforms/{platform}/maintenance-windows")
	@ResponseStatus(HttpStatus.CREATED)
	MaintenanceWindowResponse create(
			@PathVariable @Pattern(regexp = Names.NAME, message = Names.NAME_RULE) String platform,
			@Valid @RequestBody MaintenanceWindowRequest request) {
		MaintenanceWindow window = this.catalog.scheduleMaintenance(platform, request.startsAt(), request.endsAt(),
				request.message());
		return MaintenanceWindowResponse.of(window, this.clock.instant());
	}

	@Operation(operationId = "listMaintenanceWindows", summary = "List a platform's maintenance windows")
	@GetMapping("/admin/platforms/{platform}/maintenance-windows")
	MaintenanceWindowListResponse list(
			@PathVariable @Pattern(regexp = Names.NAME, message = Names.NAME_RULE) String platform,
			@RequestParam(name = "include_past", defaultValue = "false") boolean includePast) {
		Instant now = this.clock.instant();
		return new MaintenanceWindowListResponse(this.catalog.maintenanceWindows(platform, includePast)
			.stream()
			.map((window) -> MaintenanceWindowResponse.of(window, now))
			.toList());
	}

	@Operation(operationId = "cancelMaintenanceWindow", summary = "Cancel a maintenance window")
	@ApiResponse(responseCode = "204", description = "Cancelled")
	@ApiResponse(responseCode = "409", description = "The window has already ended or been cancelled")
	@DeleteMapping("/admin/platforms/{platform}/maintenance-windows/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void cancel(@PathVariable @Pattern(regexp = Names.NAME, message = Names.NAME_RULE) String platform,
			@PathVariable @Size(max = 36) String id) {
		this.catalog.cancelMaintenance(platform, id);
	}

	record MaintenanceWindowRequest(@NotNull Instant startsAt, @NotNull Instant endsAt,
			@Size(max = 500) @NoControlCharacters(freeText = true) String message) {
	}

	record MaintenanceWindowListResponse(List<MaintenanceWindowResponse> maintenanceWindows) {
	}

	record MaintenanceWindowResponse(String id, String platform, Instant startsAt, Instant endsAt, String message,
			MaintenanceWindow.State state, Instant createdAt, Instant cancelledAt) {

		static MaintenanceWindowResponse of(MaintenanceWindow window, Instant now) {
			return new MaintenanceWindowResponse(window.id(), window.platform(), window.startsAt(), window.endsAt(),
					window.message(), window.stateAt(now), window.createdAt(), window.cancelledAt());
		}

	}

}
