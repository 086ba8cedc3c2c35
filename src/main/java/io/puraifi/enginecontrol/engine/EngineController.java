package io.puraifi.enginecontrol.engine;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

@RestController
class EngineController {

	static final String ENGINE_ID = "^[a-z][a-z0-9_-]{1,63}$";

	static final String NAME = "^[a-z][a-z0-9_]{0,63}$";

	private final EngineRegistry registry;

	EngineController(EngineRegistry registry) {
		this.registry = registry;
	}

	@PostMapping("/engines/register")
	ResponseEntity<RegisterResponse> register(AuthenticatedEngine caller, @Valid @RequestBody RegisterRequest request) {
		caller.requireAdmin();
		EngineRegistry.Registration registration = this.registry.register(request.engineId(), request.description(),
				request.capabilities());
		Engine engine = registration.engine();
		return ResponseEntity.created(URI.create("/admin/engines/" + engine.engineId()))
			.body(new RegisterResponse(engine.engineId(), registration.key(), engine.capabilities(),
					engine.createdAt()));
	}

	@PostMapping("/engines/validate")
	ValidateResponse validate(@Valid @RequestBody ValidateRequest request) {
		return this.registry.authenticate(request.engineId(), request.engineKey())
			.filter(Engine::isActive)
			.map((engine) -> new ValidateResponse(true, engine.engineId(), engine.status(), engine.capabilities()))
			.orElse(ValidateResponse.INVALID);
	}

	@GetMapping("/admin/engines/{engineId}")
	EngineResponse show(@PathVariable @Pattern(regexp = ENGINE_ID) String engineId) {
		return this.registry.find(engineId)
			.map(EngineResponse::of)
			.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No engine named '" + engineId + "'"));
	}

	@PostMapping("/admin/engines/{engineId}/suspend")
	EngineResponse suspend(@PathVariable @Pattern(regexp = ENGINE_ID) String engineId) {
		return EngineResponse.of(this.registry.setStatus(engineId, EngineStatus.SUSPENDED));
	}

	@PostMapping("/admin/engines/{engineId}/resume")
	EngineResponse resume(@PathVariable @Pattern(regexp = ENGINE_ID) String engineId) {
		return EngineResponse.of(this.registry.setStatus(engineId, EngineStatus.ACTIVE));
	}

	@PutMapping("/admin/engines/{engineId}/capabilities")
	EngineResponse replaceCapabilities(@PathVariable @Pattern(regexp = ENGINE_ID) String engineId,
			@Valid @RequestBody CapabilitiesRequest request) {
		return EngineResponse.of(this.registry.replaceCapabilities(engineId, request.capabilities()));
	}

	record RegisterRequest(@NotNull @Pattern(regexp = ENGINE_ID) String engineId, @Size(max = 500) String description,
			@NotNull @Size(max = 100) Map<@Pattern(regexp = NAME) String, @NotEmpty @Size(
					max = 100) List<@NotNull @Pattern(regexp = NAME) String>> capabilities) {
	}

	record RegisterResponse(String engineId, String engineKey, SortedMap<String, SortedSet<String>> capabilities,
			Instant createdAt) {
	}

	record ValidateRequest(@NotNull @Size(max = 64) String engineId, @NotNull @Size(max = 256) String engineKey) {
	}

	record ValidateResponse(boolean valid, String engineId, EngineStatus status,
			SortedMap<String, SortedSet<String>> capabilities) {

		static final ValidateResponse INVALID = new ValidateResponse(false, null, null, null);

	}

	record CapabilitiesRequest(@NotNull @Size(max = 100) Map<@Pattern(regexp = NAME) String, @NotEmpty @Size(
			max = 100) List<@NotNull @Pattern(regexp = NAME) String>> capabilities) {
	}

	record EngineResponse(String engineId, String description, EngineRole role, EngineStatus status,
			SortedMap<String, SortedSet<String>> capabilities, Instant createdAt, Instant updatedAt) {

		static EngineResponse of(Engine engine) {
			return new EngineResponse(engine.engineId(), engine.description(), engine.role(), engine.status(),
					engine.capabilities(), engine.createdAt(), engine.updatedAt());
		}

	}

}
