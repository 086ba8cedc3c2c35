package io.puraifi.enginecontrol.engine;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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

	@GetMapping("/admin/engines/{engineId}/keys")
	KeysResponse list(
			@PathVariable @Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId) {
		return new KeysResponse(this.keys.keys(engineId).stream().map(KeyResponse::of).toList());
	}

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
