package io.puraifi.enginecontrol.settings;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import io.puraifi.enginecontrol.engine.AuthenticatedEngine;
import io.puraifi.enginecontrol.system.ApiVersions;
import io.puraifi.enginecontrol.system.Names;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ConfigController {

	private static final String ENGINE_FLAG_PREFIX = FeatureFlags.engineFlag("");

	/**
	 * The kill switch levels, in the order a check consults them.
	 */
	static final List<KillSwitchLevel> KILL_SWITCH_LEVELS = List.of(
			new KillSwitchLevel("global", FeatureFlags.GLOBAL, "every action of every engine"),
			new KillSwitchLevel("engine", FeatureFlags.engineFlag("<engine_id>"), "every action of that engine"),
			new KillSwitchLevel("platform", FeatureFlags.platformFlag("<platform>"),
					"every action on that platform, for every engine"),
			new KillSwitchLevel("action", FeatureFlags.actionFlag("<platform>", "<action_type>"),
					"that action on that platform, for every engine"));

	private final FeatureFlags flags;

	private final Clock clock;

	ConfigController(FeatureFlags flags, Clock clock) {
		this.flags = flags;
		this.clock = clock;
	}

	@Operation(operationId = "getGlobalConfig", summary = "Get the API versions and the feature flags",
			description = "An engine sees every flag but other engines' kill switches (`engine.<engine_id>`): "
					+ "only its own, and a kill switch off in shadow mode as on (it denies nothing). "
					+ "The operator sees every flag as set.")
	@GetMapping("/config/global")
	GlobalConfigResponse global(AuthenticatedEngine caller) {
		SortedMap<String, Boolean> all = visibleTo(caller, this.flags.all());
		if (!caller.isAdmin()) {
			all = inEffect(all);
		}
		List<String> off = all.entrySet()
			.stream()
			.filter((flag) -> !flag.getValue() && isKillSwitch(flag.getKey()) && !this.flags.isShadow(flag.getKey()))
			.map(Map.Entry::getKey)
			.toList();
		return new GlobalConfigResponse(ApiVersions.DEFAULT, ApiVersions.SUPPORTED, all,
				new KillSwitchesResponse(KILL_SWITCH_LEVELS, off), this.clock.instant());
	}

	@Operation(operationId = "listFlags", summary = "List the feature flags and kill switches")
	@GetMapping("/admin/flags")
	FlagListResponse list() {
		return new FlagListResponse(this.flags.list()
			.stream()
			.map((flag) -> new FlagResponse(flag.name(), flag.enabled(), flag.mode(), flag.updatedAt()))
			.toList());
	}

	@Operation(operationId = "setFlag", summary = "Set a feature flag or kill switch", description = """
			A flag named `action.<platform>.<action_type>` or `platform.<platform>` set to `false` \
			denies the matching checks. With `"mode":"shadow"` it does not deny: a check it would have \
			denied is answered as without it and lists `{"rule":"flag:<name>","reason":"FLAG_DISABLED"}` \
			in `shadow`.""")
	@PutMapping("/admin/flags/{name}")
	FlagResponse setFlag(
			@PathVariable @Pattern(regexp = Names.SETTING_NAME, message = Names.SETTING_NAME_RULE) String name,
			@Valid @RequestBody FlagRequest request) {
		boolean shadow = FeatureFlags.SHADOW.equals(request.mode());
		this.flags.set(name, request.enabled(), shadow);
		return new FlagResponse(name, request.enabled(), shadow ? FeatureFlags.SHADOW : FeatureFlags.ENFORCE, null);
	}

	@Operation(operationId = "resetFlag", summary = "Reset a feature flag to its default")
	@DeleteMapping("/admin/flags/{name}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void resetFlag(@PathVariable @Pattern(regexp = Names.SETTING_NAME, message = Names.SETTING_NAME_RULE) String name) {
		this.flags.reset(name);
	}

	/**
	 * The flags the caller may see: other engines' ids are theirs, so an engine sees only
	 * its own engine kill switch.
	 */
	private static SortedMap<String, Boolean> visibleTo(AuthenticatedEngine caller, SortedMap<String, Boolean> all) {
		if (caller.isAdmin()) {
			return all;
		}
		String own = FeatureFlags.engineFlag(caller.engineId());
		SortedMap<String, Boolean> visible = new TreeMap<>(all);
		visible.keySet().removeIf((name) -> name.startsWith(ENGINE_FLAG_PREFIX) && !name.equals(own));
		return visible;
	}

	/**
	 * The flags as an engine should act on them: a kill switch off in shadow mode denies
	 * nothing, so an engine that stops itself on a false flag must see it on.
	 */
	private SortedMap<String, Boolean> inEffect(SortedMap<String, Boolean> visible) {
		SortedMap<String, Boolean> effective = new TreeMap<>(visible);
		effective.replaceAll((name, enabled) -> enabled || this.flags.isShadow(name));
		return effective;
	}

	private static boolean isKillSwitch(String name) {
		return name.equals(FeatureFlags.GLOBAL) || name.startsWith("engine.") || name.startsWith("platform.")
				|| name.startsWith("action.");
	}

	record GlobalConfigResponse(String apiVersion, List<String> supportedVersions,
			SortedMap<String, Boolean> featureFlags, KillSwitchesResponse killSwitches, Instant serverTime) {
	}

	/**
	 * How kill switches work: the levels in the order a check consults them, and which
	 * switches are off now. A flag never set counts as on.
	 */
	record KillSwitchesResponse(List<KillSwitchLevel> levels, List<String> off) {
	}

	record KillSwitchLevel(String level, String flag, String stops) {
	}

	/**
	 * A flag's new value and mode ({@code enforce} when absent).
	 */
	record FlagRequest(@NotNull Boolean enabled, @Pattern(regexp = "^(enforce|shadow)$") String mode) {
	}

	record FlagListResponse(List<FlagResponse> flags) {
	}

	record FlagResponse(String name, boolean enabled, String mode, Instant updatedAt) {
	}

}
