package io.puraifi.enginecontrol.permission;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;

import io.puraifi.enginecontrol.engine.AuthenticatedEngine;
import io.puraifi.enginecontrol.platform.PlatformStatus;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CheckController {

	private final PermissionService permissions;

	CheckController(PermissionService permissions) {
		this.permissions = permissions;
	}

	@PostMapping("/actions/check")
	CheckResponse check(AuthenticatedEngine caller, @Valid @RequestBody CheckRequest request) {
		String engineId = (request.engineId() != null) ? request.engineId() : caller.engineId();
		PermissionService.RevisionedDecision result = this.permissions.check(caller, engineId, request.platform(),
				request.actionType(), request.minRevision());
		Decision decision = result.decision();
		return new CheckResponse(decision.allowed(), decision.reason(), decision.message(), decision.requiredScopes(),
				engineId, request.platform(), request.actionType(), decision.platformStatus(), decision.flag(),
				decision.retryAfter(), result.revision());
	}

	record CheckRequest(@Pattern(regexp = "^[a-z][a-z0-9_-]{1,63}$") String engineId,
			@NotNull @Pattern(regexp = "^[a-z][a-z0-9_]{0,63}$") String platform,
			@NotNull @Pattern(regexp = "^[a-z][a-z0-9_]{0,63}$") String actionType, @PositiveOrZero Long minRevision) {
	}

	record CheckResponse(boolean allowed, DecisionReason reason, String message, List<String> requiredScopes,
			String engineId, String platform, String actionType, PlatformStatus platformStatus, String flag,
			Instant retryAfter, long revision) {
	}

}
