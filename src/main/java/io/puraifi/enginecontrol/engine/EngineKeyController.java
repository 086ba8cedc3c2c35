package io.puraifi.enginecontrol.engine;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.puraifi.enginecontrol.system.Names;

@RestController
class EngineKeyController {

	static final String KEY_ID = "^[0-9a-f-]{36}$";

	private final EngineKeyService keys;

	EngineKeyController(EngineKeyService keys) {
		this.keys = keys;
	}

	@Operation(operationId = "listEngineKeys", summary = "List an engine's keys, without the secrets")
	@GetMapping("/admin/engines/{engineId}/keys")
	KeysResponse list(
			@PathVariable @Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId) {
		return new KeysResponse(this.keys.keys(engineId).stream().map(KeyResponse::of).toList());
	}

	@Operation(operationId = "rotateEngineKey", summary = "Give an engine a new key",
			description = "The new key is in this response and nowhere else. The engine's older keys keep working "
					+ "for `overlap` (default: they stop at once), until `previous_keys_expire_at`.")
	@ApiResponse(responseCode = "201", description = "The new key")
	@ApiResponse(responseCode = "409", description = "The engine is revoked for good, or is the operator")
	@PostMapping("/admin/engines/{engineId}/keys/rotate")
	ResponseEntity<RotateResponse> rotate(
			@PathVariable @Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId,
			@RequestBody(required = false) RotateRequest request) {
		EngineKeyService.Rotation rotation = this.keys.rotateKey(engineId,
				(request != null) ? request.overlap() : null);
		return ResponseEntity.created(URI.create("/admin/engines/" + engineId + "/keys"))
			.body(new RotateResponse(rotation.keyId(), rotation.key(), rotation.createdAt(),
					rotation.previousKeysExpireAt()));
	}

	@Operation(operationId = "revokeEngineKey", summary = "Revoke one of an engine's keys")
	@ApiResponse(responseCode = "200", description = "The key, revoked")
	@ApiResponse(responseCode = "409", description = "The operator's keys are not managed here")
	@PostMapping("/admin/engines/{engineId}/keys/{keyId}/revoke")
	KeyResponse revoke(@PathVariable @Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId,
			@PathVariable @Pattern(regexp = KEY_ID) String keyId) {
		return KeyResponse.of(this.keys.revokeKey(engineId, keyId));
	}

	record RotateRequest(Duration overlap) {
	}

	record RotateResponse(String keyId, String engineKey, Instant createdAt, Instant previousKeysExpireAt) {

		@Override
		public String toString() {
			return "RotateResponse[keyId=" + this.keyId + ", engineKey=(hidden), createdAt=" + this.createdAt
					+ ", previousKeysExpireAt=" + this.previousKeysExpireAt + "]";
		}

	}

	record KeysResponse(List<KeyResponse> keys) {
	}

	record KeyResponse(String keyId, Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {

		static KeyResponse of(EngineKey key) {
			return new KeyResponse(key.keyId(), key.createdAt(), key.expiresAt(), key.revokedAt(), key.lastUsedAt());
		}

	}

}
