package io.puraifi.enginecontrol.engine;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.puraifi.enginecontrol.system.NoControlCharacters;
import io.puraifi.enginecontrol.system.Names;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class EnrollmentTokenController {

	private final EnrollmentTokens tokens;

	EnrollmentTokenController(EnrollmentTokens tokens) {
		this.tokens = tokens;
	}

	@Operation(operationId = "createEnrollmentToken", summary = "Create an enrollment token",
			description = "The token is in this response and nowhere else. An engine registers itself with it "
					+ "(`POST /engines/register` with `X-Enrollment-Token`) and gets the capabilities it asks for "
					+ "inside the token's ceiling.")
	@ApiResponse(responseCode = "201", description = "The new token")
	@ApiResponse(responseCode = "422", description = "The capabilities name platforms or actions the catalog lacks")
	@PostMapping("/admin/enrollment-tokens")
	ResponseEntity<CreatedResponse> create(AuthenticatedEngine caller, @Valid @RequestBody CreateRequest request) {
		EnrollmentTokens.Created created = this.tokens.create(request.capabilities(),
				(request.ttl() != null) ? request.ttl() : Duration.ofHours(1),
				(request.uses() != null) ? request.uses() : 1, request.description(), caller.engineId());
		EnrollmentToken token = created.token();
		return ResponseEntity.created(URI.create("/admin/enrollment-tokens/" + token.tokenId()))
			.body(new CreatedResponse(token.tokenId(), created.value(), token.expiresAt(), token.uses(),
					token.capabilities()));
	}

	@Operation(operationId = "listEnrollmentTokens", summary = "List the enrollment tokens, without the secrets")
	@GetMapping("/admin/enrollment-tokens")
	TokensResponse list() {
		Instant now = this.tokens.now();
		return new TokensResponse(this.tokens.list().stream().map((token) -> TokenResponse.of(token, now)).toList());
	}

	@Operation(operationId = "revokeEnrollmentToken", summary = "Revoke an enrollment token")
	@ApiResponse(responseCode = "204", description = "Revoked")
	@DeleteMapping("/admin/enrollment-tokens/{tokenId}")
	ResponseEntity<Void> revoke(@PathVariable @Pattern(regexp = EngineKeyController.KEY_ID) String tokenId) {
		this.tokens.revoke(tokenId);
		return ResponseEntity.noContent().build();
	}

	record CreateRequest(
			@NotNull @Size(max = 100) Map<@Pattern(regexp = Names.NAME,
					message = Names.NAME_RULE) String, @NotEmpty @Size(max = 100) List<@NotNull @Pattern(
							regexp = Names.NAME, message = Names.NAME_RULE) String>> capabilities,
			Duration ttl, @Min(1) @Max(10_000) Integer uses,
			@Size(max = 500) @NoControlCharacters(freeText = true) String description) {
	}

	record CreatedResponse(String tokenId, String enrollmentToken, Instant expiresAt, int uses,
			SortedMap<String, SortedSet<String>> capabilities) {

		@Override
		public String toString() {
			return "CreatedResponse[tokenId=" + this.tokenId + ", enrollmentToken=(hidden), expiresAt=" + this.expiresAt
					+ ", uses=" + this.uses + ", capabilities=" + this.capabilities + "]";
		}

	}

	record TokensResponse(List<TokenResponse> tokens) {
	}

	record TokenResponse(String tokenId, String description, SortedMap<String, SortedSet<String>> capabilities,
			int uses, int usesLeft, EnrollmentToken.Status status, Instant createdAt, Instant expiresAt,
			Instant revokedAt, String createdBy) {

		static TokenResponse of(EnrollmentToken token, Instant now) {
			return new TokenResponse(token.tokenId(), token.description(), token.capabilities(), token.uses(),
					token.usesLeft(), token.status(now), token.createdAt(), token.expiresAt(), token.revokedAt(),
					token.createdBy());
		}

	}

}
