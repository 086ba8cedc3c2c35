package io.puraifi.enginecontrol.audit;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import io.puraifi.enginecontrol.system.NoControlCharacters;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AuditController {

	private final AuditTrail audit;

	AuditController(AuditTrail audit) {
		this.audit = audit;
	}

	@Operation(operationId = "listAuditEntries", summary = "List operator changes, newest first",
			description = "Pass `next_cursor` as `cursor` for the next page; it is absent on the last page.")
	@GetMapping("/admin/audit")
	AuditPage list(@RequestParam(required = false) @Size(max = 64) @NoControlCharacters String actor,
			@RequestParam(name = "target_type",
					required = false) @Size(max = 32) @NoControlCharacters String targetType,
			@RequestParam(name = "target_id", required = false) @Size(max = 200) @NoControlCharacters String targetId,
			@RequestParam(required = false) Instant since, @RequestParam(required = false) Instant until,
			@RequestParam(required = false) @Min(1) Long cursor,
			@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
		List<AuditEntry> entries = this.audit
			.find(new AuditRepository.AuditQuery(actor, targetType, targetId, since, until, cursor, limit + 1));
		if (entries.size() <= limit) {
			return new AuditPage(entries, null);
		}
		List<AuditEntry> page = entries.subList(0, limit);
		return new AuditPage(page, page.get(limit - 1).auditId());
	}

	record AuditPage(List<AuditEntry> entries, Long nextCursor) {
	}

}
