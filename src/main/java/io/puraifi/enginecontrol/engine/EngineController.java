package io.puraifi.enginecontrol.engine;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.puraifi.enginecontrol.budget.BudgetKind;
import io.puraifi.enginecontrol.budget.EngineBudgets;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;
import io.puraifi.enginecontrol.system.NoControlCharacters;
import io.puraifi.enginecontrol.system.Names;

@RestController
class EngineController {

	static final String ENROLLMENT_TOKEN_HEADER = EngineAuthenticationFilter.ENROLLMENT_TOKEN_HEADER;

	private final EngineRegistry registry;

	private final EngineRegistrationService registrations;

	private final EngineManagementService management;

	private final AuthenticationLimits limits;

	private final EngineBudgets budgets;

	EngineController(EngineRegistry registry, EngineRegistrationService registrations,
			EngineManagementService management, AuthenticationLimits limits, EngineBudgets budgets) {
		this.registry = registry;
		this.registrations = registrations;
		this.management = management;
		this.limits = limits;
		this.budgets = budgets;
	}

	@Operation(operationId = "register", summary = "Register an engine, as the operator or with an enrollment token",
			description = "The operator registers any engine with any capabilities. An engine without "
					+ "credentials registers itself with `X-Enrollment-Token` (and no `X-Engine-ID` / "
					+ "`X-Engine-Key`): it gets the requested capabilities inside the token's ceiling, and "
					+ "`not_granted` lists the others. The new engine's key is in this response and nowhere else: "
					+ "keep it.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(examples = @ExampleObject(name = "action", value = """
							{"engine_id":"action","description":"Sends mail and posts messages",\
							"capabilities":{"gmail":["send_email"],"slack":["post_message"]}}"""))))
	@ApiResponse(responseCode = "201",
			description = "Registered. With an enrollment token, `not_granted` lists the requested capabilities "
					+ "outside the token's ceiling",
			content = @Content(schema = @Schema(implementation = EnrollResponse.class),
					examples = @ExampleObject(name = "action", value = """
							{"engine_id":"action","engine_key":"ec_PJcSZfT9bWbEFAWIRUGYzLQuRgHfvV0HXFVtdtOCylc3grhCA",\
							"capabilities":{"gmail":["send_email"],"slack":["post_message"]},\
							"created_at":"2026-11-25T18:54:59.615331Z"}""")))
	@ApiResponse(responseCode = "401",
			description = "Missing or wrong `X-Engine-ID` / `X-Engine-Key`, or an enrollment token that is unknown, "
					+ "expired, revoked or used up")
	@ApiResponse(responseCode = "409", description = "An engine with this id exists")
	@ApiResponse(responseCode = "422", description = "The capabilities name platforms or actions the catalog lacks")
	@PostMapping("/engines/register")
	ResponseEntity<RegisterResponse> register(AuthenticatedEngine caller, @Valid @RequestBody RegisterRequest request) {
		caller.requireAdmin();
		EngineRegistrationService.Registration registration = this.registrations.register(request.engineId(),
				request.description(), request.capabilities());
		Engine engine = registration.engine();
		return ResponseEntity.created(URI.create("/admin/engines/" + engine.engineId()))
			.body(new RegisterResponse(engine.engineId(), registration.key(), engine.capabilities(),
					engine.createdAt()));
	}

	/**
	 * Self-registration: an engine without credentials presents an enrollment token and
	 * gets the requested capabilities that fall inside the token's ceiling. The
	 * authentication filter lets this request through without engine headers.
	 */
	@PostMapping(path = "/engines/register", headers = { ENROLLMENT_TOKEN_HEADER,
			"!" + EngineAuthenticationFilter.ENGINE_ID_HEADER, "!" + EngineAuthenticationFilter.ENGINE_KEY_HEADER })
	ResponseEntity<EnrollResponse> enroll(@RequestHeader(ENROLLMENT_TOKEN_HEADER) String token,
			@Valid @RequestBody RegisterRequest request) {
		EngineRegistrationService.Enrollment enrollment = this.registrations.enroll(token, request.engineId(),
				request.description(), request.capabilities());
		Engine engine = enrollment.engine();
		return ResponseEntity.created(URI.create("/admin/engines/" + engine.engineId()))
			.body(new EnrollResponse(engine.engineId(), enrollment.key(), engine.capabilities(),
					enrollment.notGranted(), engine.createdAt()));
	}

	@Operation(operationId = "validate", summary = "Validate another engine's credentials",
			description = "Shaped like OAuth token introspection (RFC 7662): `{\"valid\":false}` for any bad credentials. "
					+ "Failures are limited per calling engine and per (calling engine, validated engine id): "
					+ "past the limit, right credentials are still validated and wrong ones get 429 with `Retry-After`.")
	@ApiResponse(responseCode = "200",
			description = "The answer: `{\"valid\":false}` for any bad credentials, else the engine's id, status "
					+ "and capabilities")
	@ApiResponse(responseCode = "429",
			description = "Too many failed validations by this caller, or over its validate budget")
	@PostMapping("/engines/validate")
	ValidateResponse validate(AuthenticatedEngine caller, @Valid @RequestBody ValidateRequest request) {
		this.budgets.charge(caller, BudgetKind.VALIDATE, 1);
		String engineId = request.engineId();
		Optional<Duration> wait = this.limits.validationBlocked(caller.engineId(), engineId);
		// Past the limit, the store is asked only about ids this replica has cached or
		// knows to be registered, or while the caller has lookups of unknown ids left.
		boolean cached = this.registry.isCached(engineId);
		boolean known = cached || this.registry.isRegistered(engineId);
		if (wait.isPresent() && !known && this.limits.validationLookupsBlocked(caller.engineId()).isPresent()) {
			throw this.limits.validationRefused(wait.get());
		}
		Optional<Engine> matched = this.registry.validate(engineId, request.engineKey());
		if (matched.isEmpty()) {
			this.limits.validationFailed(caller.engineId(), engineId,
					!cached && this.registry.isKnownUnknown(engineId));
			if (wait.isPresent()) {
				throw this.limits.validationRefused(wait.get());
			}
			return ValidateResponse.INVALID;
		}
		return matched.filter(Engine::isActive)
			.map((engine) -> new ValidateResponse(true, engine.engineId(), engine.status(), engine.capabilities()))
			.orElse(ValidateResponse.INVALID);
	}

	@Operation(operationId = "listEngines", summary = "List the engines, a page at a time",
			description = "Ordered by engine id; `next_cursor` fetches the next page.")
	@GetMapping("/admin/engines")
	EnginePage list(@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
			@RequestParam(required = false) @Size(max = 200) @NoControlCharacters String cursor,
			@RequestParam(required = false) @Pattern(regexp = "^(active|suspended|revoked)$") String status) {
		String after = (cursor != null) ? EngineCursor.decode(cursor) : null;
		EngineStatus wanted = (status != null) ? EngineStatus.valueOf(status.toUpperCase(Locale.ROOT)) : null;
		List<Engine> engines = this.registry.list(wanted, after, limit + 1);
		boolean more = engines.size() > limit;
		List<Engine> page = more ? engines.subList(0, limit) : engines;
		return new EnginePage(page.stream().map(EngineResponse::of).toList(),
				more ? EngineCursor.encode(page.get(page.size() - 1).engineId()) : null);
	}

	@Operation(operationId = "getEngine", summary = "Show an engine")
	@GetMapping("/admin/engines/{engineId}")
	EngineResponse show(
			@PathVariable @Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId) {
		return this.registry.find(engineId)
			.map(EngineResponse::of)
			.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No engine named '" + engineId + "'"));
	}

	@Operation(operationId = "suspendEngine", summary = "Suspend an engine",
			description = "A suspended engine gets 403 on every request.")
	@ApiResponse(responseCode = "200", description = "Suspended")
	@ApiResponse(responseCode = "409", description = "The engine is revoked for good, or is the operator")
	@PostMapping("/admin/engines/{engineId}/suspend")
	EngineResponse suspend(
			@PathVariable @Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId) {
		return EngineResponse.of(this.management.setStatus(engineId, EngineStatus.SUSPENDED));
	}

	@Operation(operationId = "resumeEngine", summary = "Resume a suspended engine")
	@ApiResponse(responseCode = "200", description = "Active again")
	@ApiResponse(responseCode = "409", description = "The engine is revoked for good, or is the operator")
	@PostMapping("/admin/engines/{engineId}/resume")
	EngineResponse resume(
			@PathVariable @Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId) {
		return EngineResponse.of(this.management.setStatus(engineId, EngineStatus.ACTIVE));
	}

	@Operation(operationId = "revokeEngine", summary = "Revoke an engine for good",
			description = "Its keys stop working at once; a revoked engine gets 403 on every request.")
	@ApiResponse(responseCode = "200", description = "Revoked")
	@ApiResponse(responseCode = "409", description = "The operator cannot be revoked")
	@PostMapping("/admin/engines/{engineId}/revoke")
	EngineResponse revoke(
			@PathVariable @Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId) {
		return EngineResponse.of(this.management.revoke(engineId));
	}

	@Operation(operationId = "deleteEngine", summary = "Delete an engine and its keys")
	@ApiResponse(responseCode = "204", description = "Deleted")
	@ApiResponse(responseCode = "409", description = "The operator cannot be deleted")
	@DeleteMapping("/admin/engines/{engineId}")
	ResponseEntity<Void> delete(
			@PathVariable @Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId) {
		this.management.delete(engineId);
		return ResponseEntity.noContent().build();
	}

	@Operation(operationId = "patchCapabilities", summary = "Add or remove some of an engine's capabilities")
	@ApiResponse(responseCode = "200", description = "The engine with its capabilities now")
	@ApiResponse(responseCode = "409", description = "The engine is revoked for good, or is the operator")
	@ApiResponse(responseCode = "422", description = "The capabilities name platforms or actions the catalog lacks")
	@PatchMapping("/admin/engines/{engineId}/capabilities")
	EngineResponse patchCapabilities(
			@PathVariable @Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId,
			@Valid @RequestBody CapabilitiesPatchRequest request) {
		if (request.add() == null && request.remove() == null) {
			throw new ProblemException(ProblemType.INVALID_REQUEST, "Send add, remove or both");
		}
		return EngineResponse.of(this.management.patchCapabilities(engineId, request.add(), request.remove()));
	}

	@Operation(operationId = "replaceCapabilities", summary = "Replace an engine's capabilities",
			description = "The new set replaces the old one entirely.")
	@ApiResponse(responseCode = "200", description = "Replaced")
	@ApiResponse(responseCode = "409",
			description = "The engine is revoked for good, or is the operator (whose capabilities cannot be changed)")
	@ApiResponse(responseCode = "422", description = "The capabilities name platforms or actions the catalog lacks")
	@PutMapping("/admin/engines/{engineId}/capabilities")
	EngineResponse replaceCapabilities(
			@PathVariable @Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId,
			@Valid @RequestBody CapabilitiesRequest request) {
		return EngineResponse.of(this.management.replaceCapabilities(engineId, request.capabilities()));
	}

	record RegisterRequest(@NotNull @Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId,
			@Size(max = 500) @NoControlCharacters(freeText = true) String description,
			@NotNull @Size(max = 100) Map<@Pattern(regexp = Names.NAME,
					message = Names.NAME_RULE) String, @NotEmpty @Size(max = 100) List<@NotNull @Pattern(
							regexp = Names.NAME, message = Names.NAME_RULE) String>> capabilities) {
	}

	record RegisterResponse(String engineId, String engineKey, SortedMap<String, SortedSet<String>> capabilities,
			Instant createdAt) {

		@Override
		public String toString() {
			return "RegisterResponse[engineId=" + this.engineId + ", engineKey=(hidden), capabilities="
					+ this.capabilities + ", createdAt=" + this.createdAt + "]";
		}

	}

	@Schema(name = "RegisterResponse", description = "A registered engine, with its key")
	record EnrollResponse(String engineId, String engineKey, SortedMap<String, SortedSet<String>> capabilities,
			@Schema(description = "Only with an enrollment token: the requested capabilities outside the token's "
					+ "ceiling, which were not granted") SortedMap<String, SortedSet<String>> notGranted,
			Instant createdAt) {

		@Override
		public String toString() {
			return "EnrollResponse[engineId=" + this.engineId + ", engineKey=(hidden), capabilities="
					+ this.capabilities + ", notGranted=" + this.notGranted + ", createdAt=" + this.createdAt + "]";
		}

	}

	record CapabilitiesPatchRequest(
			@Size(max = 100) Map<@Pattern(regexp = Names.NAME,
					message = Names.NAME_RULE) String, @NotEmpty @Size(max = 100) List<@NotNull @Pattern(
							regexp = Names.NAME, message = Names.NAME_RULE) String>> add,
			@Size(max = 100) Map<@Pattern(regexp = Names.NAME, message = Names.NAME_RULE) String, @NotEmpty @Size(
					max = 100) List<@NotNull @Pattern(regexp = Names.NAME, message = Names.NAME_RULE) String>> remove) {
	}

	record EnginePage(List<EngineResponse> engines, String nextCursor) {
	}

	record ValidateRequest(@NotNull @Size(max = 64) @NoControlCharacters String engineId,
			@NotNull @Size(max = 256) String engineKey) {

		@Override
		public String toString() {
			return "ValidateRequest[engineId=" + this.engineId + ", engineKey=(hidden)]";
		}

	}

	record ValidateResponse(boolean valid, String engineId, EngineStatus status,
			SortedMap<String, SortedSet<String>> capabilities) {

		static final ValidateResponse INVALID = new ValidateResponse(false, null, null, null);

	}

	record CapabilitiesRequest(@NotNull @Size(max = 100) Map<@Pattern(regexp = Names.NAME,
			message = Names.NAME_RULE) String, @NotEmpty @Size(max = 100) List<@NotNull @Pattern(regexp = Names.NAME,
					message = Names.NAME_RULE) String>> capabilities) {
	}

	record EngineResponse(String engineId, String description, EngineRole role, EngineStatus status,
			SortedMap<String, SortedSet<String>> capabilities, Instant createdAt, Instant updatedAt) {

		static EngineResponse of(Engine engine) {
			return new EngineResponse(engine.engineId(), engine.description(), engine.role(), engine.status(),
					engine.capabilities(), engine.createdAt(), engine.updatedAt());
		}

	}

}
