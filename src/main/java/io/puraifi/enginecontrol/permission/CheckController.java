package io.puraifi.enginecontrol.permission;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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

	@Operation(summary = "Check whether an engine may perform an action now", description = """
			A denial is still a 200: `allowed` is false and `reason` says why. `engine_id` defaults to \
			the caller; only the operator may ask about another engine.""",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(examples = @ExampleObject(name = "send_email", value = """
							{"engine_id":"action","platform":"gmail","action_type":"send_email"}"""))))
	@ApiResponse(responseCode = "200", description = "The decision",
			content = @Content(schema = @Schema(implementation = CheckResponse.class),
					examples = { @ExampleObject(name = "allowed", value = """
							{"allowed":true,"reason":"ALLOWED","message":"Allowed","required_scopes":["mail.send"],\
							"engine_id":"action","platform":"gmail","action_type":"send_email",\
							"platform_status":"available","revision":7}"""),
							@ExampleObject(name = "maintenance", value = """
									{"allowed":false,"reason":"PLATFORM_MAINTENANCE",\
									"message":"Platform is in maintenance: Gmail API upgrade until 20:00 UTC",\
									"required_scopes":[],"engine_id":"action","platform":"gmail",\
									"action_type":"send_email","platform_status":"maintenance","revision":8}""") }))
	@PostMapping("/actions/check")
	CheckResponse check(AuthenticatedEngine caller, @Valid @RequestBody CheckRequest request) {
		String engineId = (request.engineId() != null) ? request.engineId() : caller.engineId();
		PermissionService.RevisionedDecision result = this.permissions.check(caller, engineId, request.platform(),
				request.actionType(), request.minRevision());
		Decision decision = result.decision();
		return new CheckResponse(decision.allowed(), decision.reason(), decision.message(), decision.requiredScopes(),
				engineId, request.platform(), request.actionType(), decision.platformStatus(), decision.flag(),
				result.revision());
	}

	record CheckRequest(@Pattern(regexp = "^[a-z][a-z0-9_-]{1,63}$") String engineId,
			@NotNull @Pattern(regexp = "^[a-z][a-z0-9_]{0,63}$") String platform,
			@NotNull @Pattern(regexp = "^[a-z][a-z0-9_]{0,63}$") String actionType, @PositiveOrZero Long minRevision) {
	}

	record CheckResponse(boolean allowed, DecisionReason reason, String message, List<String> requiredScopes,
			String engineId, String platform, String actionType, PlatformStatus platformStatus, String flag,
			long revision) {
	}

}
