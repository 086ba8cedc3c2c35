package io.puraifi.enginecontrol.settings;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import io.puraifi.enginecontrol.system.ApiVersions;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ConfigController {

	private final FeatureFlags flags;

	private final Clock clock;

	ConfigController(FeatureFlags flags, Clock clock) {
		this.flags = flags;
		this.clock = clock;
	}

	@Operation(summary = "Get the API versions and every feature flag")
	@GetMapping("/config/global")
	GlobalConfigResponse global() {
		return new GlobalConfigResponse(ApiVersions.DEFAULT, ApiVersions.SUPPORTED, this.flags.all(),
				this.clock.instant());
	}

	@Operation(summary = "Set a feature flag or kill switch", description = """
			A flag named `action.<platform>.<action_type>` or `platform.<platform>` set to `false` \
			denies the matching checks.""")
	@PutMapping("/admin/flags/{name}")
	FlagResponse setFlag(@PathVariable @Pattern(regexp = "^[a-z0-9][a-z0-9_.-]{0,127}$") String name,
			@Valid @RequestBody FlagRequest request) {
		this.flags.set(name, request.enabled());
		return new FlagResponse(name, request.enabled());
	}

	record GlobalConfigResponse(String apiVersion, List<String> supportedVersions,
			SortedMap<String, Boolean> featureFlags, Instant serverTime) {
	}

	record FlagRequest(@NotNull Boolean enabled) {
	}

	record FlagResponse(String name, boolean enabled) {
	}

}
