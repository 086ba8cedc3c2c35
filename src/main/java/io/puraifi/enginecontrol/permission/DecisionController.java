package io.puraifi.enginecontrol.permission;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.puraifi.enginecontrol.system.Names;

/**
 * Stored decisions for operators (the path is operator-only in the authentication
 * filter): denied ones, errors, the operator's own, and allowed ones when
 * {@code engine-control.decisions.persist-allowed} is set. Identical denials and errors
 * within the aggregation window are one record with {@code count}, {@code first_at} and
 * {@code last_at}. {@code shadow=true} finds the decisions a shadow rule would have
 * denied (stored even when allowed).
 */
@RestController
class DecisionController {

	private final PermissionService permissions;

	DecisionController(PermissionService permissions) {
		this.permissions = permissions;
	}

	@Operation(operationId = "listDecisions", summary = "List the recorded check decisions, a page at a time")
	@GetMapping("/admin/decisions")
	DecisionPage list(
			@RequestParam(name = "engine_id", required = false) @Pattern(regexp = Names.ENGINE_ID,
					message = Names.ENGINE_ID_RULE) String engineId,
			@RequestParam(required = false) @Pattern(regexp = Names.NAME, message = Names.NAME_RULE) String platform,
			@RequestParam(required = false) @Pattern(regexp = "^[A-Z_]{1,32}$") String reason,
			@RequestParam(required = false) @Pattern(regexp = "^(allowed|denied|error)$") String status,
			@RequestParam(required = false) Instant since, @RequestParam(required = false) Instant until,
			@RequestParam(required = false) @Min(1) Long cursor, @RequestParam(required = false) Boolean shadow,
			@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
		List<DecisionRecord> records = this.permissions.decisions(new DecisionRepository.DecisionQuery(engineId,
				platform, reason, status, since, until, cursor, limit, shadow));
		Long next = (records.size() == limit) ? records.get(records.size() - 1).decisionId() : null;
		return new DecisionPage(records, next);
	}

	record DecisionPage(List<DecisionRecord> decisions, Long nextCursor) {
	}

}
