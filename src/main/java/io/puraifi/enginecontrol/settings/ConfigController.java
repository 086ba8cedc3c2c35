package io.puraifi.enginecontrol.settings;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ConfigController {

	static final String API_VERSION = "1";

	private final FeatureFlags flags;

	private final Clock clock;

	ConfigController(FeatureFlags flags, Clock clock) {
		this.flags = flags;
		this.clock = clock;
	}

	@GetMapping("/config/global")
	GlobalConfigResponse global() {
		return new GlobalConfigResponse(API_VERSION, List.of(API_VERSION), this.flags.all(), this.clock.instant());
	}

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
