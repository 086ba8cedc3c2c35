package io.puraifi.enginecontrol.audit;

import java.time.Clock;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

import io.puraifi.enginecontrol.system.JsonText;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records operator changes. Call {@link #record} inside the transaction of the change
 * (for example within {@code Changes.write}), so that the change and its record commit
 * together. The actor and request id come from the logging context that the request
 * filters set; outside a request the actor is {@code system}.
 */
@Component
public class AuditTrail {

	private static final Logger log = LoggerFactory.getLogger("engine-control.audit");

	private final AuditRepository repository;

	private final JsonMapper jsonMapper;

	private final Clock clock;

	AuditTrail(AuditRepository repository, JsonMapper jsonMapper, Clock clock) {
		this.repository = repository;
		this.jsonMapper = jsonMapper;
		this.clock = clock;
	}

	/**
	 * Records one change.
	 * @param action what was done, e.g. {@code engine.suspend}
	 * @param targetType the kind of thing changed, e.g. {@code engine}
	 * @param targetId which one
	 * @param before its state before (serialised to JSON), or null
	 * @param after its state after (serialised to JSON), or null
	 */
	public void record(String action, String targetType, String targetId, Object before, Object after) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("An audit record must be written in the change's transaction");
		}
		String actor = MDC.get("engine_id");
		AuditEntry entry = new AuditEntry(0, this.clock.instant(), (actor != null) ? actor : "system", action,
				targetType, targetId, json(before), json(after), MDC.get("request_id"));
		this.repository.insert(entry);
		log.atInfo()
			.addKeyValue("action", action)
			.addKeyValue("target_type", targetType)
			.addKeyValue("target_id", targetId)
			.log("operator change");
	}

	/**
	 * Entries newest first.
	 * @param query the filters
	 * @return the entries
	 */
	public List<AuditEntry> find(AuditRepository.AuditQuery query) {
		return this.repository.find(query);
	}

	private String json(Object value) {
		return (value != null) ? JsonText.of(this.jsonMapper, value) : null;
	}

}
