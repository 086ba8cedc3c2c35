package io.puraifi.enginecontrol.audit;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One operator change as recorded.
 *
 * @param auditId increasing id, also the pagination cursor
 * @param occurredAt when
 * @param actor the operator's engine id, or {@code system} for startup work
 * @param action what was done, e.g. {@code platform.status}
 * @param targetType the kind of thing changed
 * @param targetId which one
 * @param before its state before, as JSON, or null
 * @param after its state after, as JSON, or null
 * @param requestId the request that made the change
 */
public record AuditEntry(long auditId, Instant occurredAt, String actor, String action, String targetType,
		String targetId, @JsonRawValue String before, @JsonRawValue String after, String requestId) {
}
