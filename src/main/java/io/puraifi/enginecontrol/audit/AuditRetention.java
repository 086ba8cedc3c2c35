package io.puraifi.enginecontrol.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.RetentionJob;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Deletes audit entries older than {@code engine-control.audit.retention}, in batches,
 * every {@code retention-interval}. By default the retention is 0 and the trail is kept
 * forever: no job runs.
 */
@Component
class AuditRetention extends RetentionJob {

	private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

	private static final int BATCH = 1_000;

	private final AuditRepository repository;

	private final Clock clock;

	private final EngineControlProperties.Audit settings;

	private final int batchSize;

	@Autowired
	AuditRetention(AuditRepository repository, Clock clock, EngineControlProperties properties) {
		this(repository, clock, properties.audit(), BATCH);
	}

	AuditRetention(AuditRepository repository, Clock clock, EngineControlProperties.Audit settings, int batchSize) {
		super("audit-retention", settings.retentionInterval());
		this.repository = repository;
		this.clock = clock;
		this.settings = settings;
		this.batchSize = batchSize;
	}

	@Override
	protected boolean enabled() {
		return !this.settings.keepsForever();
	}

	/**
	 * Deletes every entry older than the retention, batch by batch; nothing when the
	 * trail is kept forever.
	 * @return how many were deleted
	 */
	@Override
	protected long purge() {
		if (this.settings.keepsForever()) {
			return 0;
		}
		Duration retention = this.settings.retention();
		Instant cutoff = this.clock.instant().minus(retention);
		long total = 0;
		int batch;
		do {
			batch = this.repository.deleteOccurredBefore(cutoff, this.batchSize);
			total += batch;
		}
		while (batch >= this.batchSize && !stopping());
		if (total > 0) {
			log.atInfo()
				.addKeyValue("deleted", total)
				.addKeyValue("cutoff", cutoff.toString())
				.log("old audit entries deleted");
		}
		return total;
	}

}
