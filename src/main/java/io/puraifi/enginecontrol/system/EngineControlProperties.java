package io.puraifi.enginecontrol.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of Engine Control, bound from {@code engine-control.*} (or the
 * environment, {@code ENGINE_CONTROL_*}).
 *
 * @param dataDir directory for the embedded database and the generated admin key
 * @param adminEngineId engine id of the operator principal
 * @param bootstrapAdminKey the operator principal's key; generated on first start when
 * unset
 * @param catalog location of a platform catalog that replaces the bundled one
 * @param maxBodySize largest request body accepted
 * @param cache sizes of the in-memory caches
 * @param propagation how changes reach every replica
 * @param maxBatchBodySize largest request body accepted by the batch endpoints
 * @param decisions where decision records are kept
 * @param events bounds and retention of engine events
 * @param keys engine key rotation and last-use recording
 * @param authLimits how many failed authentications are allowed before requests are
 * refused with 429
 * @param shutdown what happens between SIGTERM and the end of the process
 * @param audit how long the audit trail of operator changes is kept
 * @param budgets per-engine request budgets
 * @param quotas how replicas lease and give back units of action quotas
 */
@Validated
@ConfigurationProperties("engine-control")
public record EngineControlProperties(@NotNull @DefaultValue("./data") Path dataDir,
		@NotNull @Pattern(regexp = Names.ENGINE_ID,
				message = Names.ENGINE_ID_RULE) @DefaultValue("admin") String adminEngineId,
		String bootstrapAdminKey, @DefaultValue("classpath:catalog.yml") String catalog,
		@NotNull @DefaultValue("64KB") DataSize maxBodySize, @Valid @NotNull @DefaultValue Cache cache,
		@Valid @NotNull @DefaultValue Propagation propagation, @NotNull @DefaultValue("1MB") DataSize maxBatchBodySize,
		@Valid @NotNull @DefaultValue Decisions decisions, @Valid @NotNull @DefaultValue Events events,
		@Valid @NotNull @DefaultValue Keys keys, @Valid @NotNull @DefaultValue AuthLimits authLimits,
		@Valid @NotNull @DefaultValue Shutdown shutdown, @Valid @NotNull @DefaultValue Audit audit,
		@Valid @NotNull @DefaultValue Budgets budgets, @Valid @NotNull @DefaultValue Quotas quotas) {

	/**
	 * Bounds of the in-memory caches.
	 *
	 * @param maximumSize most entries each cache keeps
	 */
	public record Cache(@Min(1) @DefaultValue("100000") long maximumSize) {
	}

	/**
	 * How changes made through one replica reach the others.
	 *
	 * @param reconcileInterval how often each replica compares its revision with the
	 * store's; the upper bound on staleness when a notification is lost
	 * @param maxRevisionWait how long a check with {@code min_revision} waits for this
	 * replica to catch up
	 * @param maxStaleness how long checks are still answered from the last state the
	 * store confirmed, once the store is unreachable; after that they fail closed
	 * @param changeLogRetention how long the change log keeps what a revision changed; a
	 * replica further behind drops every cached entry instead
	 * @param changeLogMaxEntries most change log entries kept (the newest)
	 * @param changeLogRetentionInterval pause between two runs of the change log pruning
	 */
	public record Propagation(@NotNull @DefaultValue("500ms") Duration reconcileInterval,
			@NotNull @DefaultValue("2s") Duration maxRevisionWait, @NotNull @DefaultValue("5m") Duration maxStaleness,
			@NotNull @DefaultValue("7d") Duration changeLogRetention,
			@Min(1) @DefaultValue("100000") long changeLogMaxEntries,
			@NotNull @DefaultValue("10m") Duration changeLogRetentionInterval) {

		public Propagation {
			if (reconcileInterval != null && reconcileInterval.toMillis() < 1) {
				throw new IllegalArgumentException(
						"engine-control.propagation.reconcile-interval must be at least 1ms");
			}
			if (maxRevisionWait != null && maxRevisionWait.isNegative()) {
				throw new IllegalArgumentException("engine-control.propagation.max-revision-wait must not be negative");
			}
			if (maxStaleness != null && maxStaleness.isNegative()) {
				throw new IllegalArgumentException("engine-control.propagation.max-staleness must not be negative");
			}
			if (changeLogRetention != null && (changeLogRetention.isNegative() || changeLogRetention.isZero())) {
				throw new IllegalArgumentException("engine-control.propagation.change-log-retention must be positive");
			}
			if (changeLogRetentionInterval != null && changeLogRetentionInterval.toMillis() < 1) {
				throw new IllegalArgumentException(
						"engine-control.propagation.change-log-retention-interval must be at least 1ms");
			}
		}

	}

	/**
	 * Where decision records go besides the log.
	 *
	 * @param persistAllowed also store allowed decisions (denied ones and the operator's
	 * are always stored)
	 * @param queueCapacity records waiting for the store writer at most; more are dropped
	 * and counted
	 * @param writeBatchSize records the writer inserts per transaction at most
	 * @param aggregationWindow identical denied (or error) decisions within this time of
	 * the first are stored as one record with a count; {@code 0s} stores each one
	 * @param aggregationMaxOpen most aggregated records open at once; beyond it, a new
	 * kind of denial is stored as its own record
	 * @param aggregationFlushInterval how often the counts of open aggregated records are
	 * written to the store; a crash loses at most this much of their counts
	 * @param retention how long records are kept after their first decision
	 * @param maxRecords most records kept; beyond it the oldest are deleted
	 * @param retentionInterval pause between two runs of the retention job
	 * @param retentionBatchSize records deleted per statement at most
	 */
	public record Decisions(@DefaultValue("false") boolean persistAllowed,
			@Min(1) @DefaultValue("10000") int queueCapacity, @Min(1) @DefaultValue("500") int writeBatchSize,
			@NotNull @DefaultValue("60s") Duration aggregationWindow,
			@Min(1) @DefaultValue("10000") int aggregationMaxOpen,
			@NotNull @DefaultValue("1s") Duration aggregationFlushInterval,
			@NotNull @DefaultValue("30d") Duration retention, @Min(1) @DefaultValue("1000000") long maxRecords,
			@NotNull @DefaultValue("1h") Duration retentionInterval,
			@Min(1) @DefaultValue("1000") int retentionBatchSize) {

		public Decisions {
			if (aggregationWindow != null && aggregationWindow.isNegative()) {
				throw new IllegalArgumentException("engine-control.decisions.aggregation-window must not be negative");
			}
			requirePositive("aggregation-flush-interval", aggregationFlushInterval);
			requirePositive("retention", retention);
			requirePositive("retention-interval", retentionInterval);
		}

		private static void requirePositive(String name, Duration value) {
			if (value != null && (value.isNegative() || value.isZero())) {
				throw new IllegalArgumentException("engine-control.decisions." + name + " must be positive");
			}
		}

	}

	/**
	 * Bounds and retention of engine events.
	 *
	 * @param maxMessageLength longest message, in characters
	 * @param maxAttributes most keys in an attribute map, at any level
	 * @param maxAttributeDepth deepest nesting of maps and lists in attributes (1 = flat)
	 * @param maxAttributeValueLength longest string value or key in attributes
	 * @param retention how long events are kept after they were received
	 * @param retentionInterval pause between two runs of the retention job
	 * @param retentionBatchSize events deleted per statement at most
	 * @param maxEvents most events kept in all; the retention job deletes the oldest
	 * beyond it
	 * @param maxPerEngine most events kept per sending engine; beyond it (by a tenth) its
	 * oldest are deleted as it sends new ones
	 */
	public record Events(@Min(1) @Max(4096) @DefaultValue("4096") int maxMessageLength,
			@Min(1) @DefaultValue("50") int maxAttributes, @Min(1) @Max(16) @DefaultValue("4") int maxAttributeDepth,
			@Min(1) @DefaultValue("1024") int maxAttributeValueLength, @NotNull @DefaultValue("30d") Duration retention,
			@NotNull @DefaultValue("1h") Duration retentionInterval,
			@Min(1) @DefaultValue("1000") int retentionBatchSize, @Min(1) @DefaultValue("10000000") long maxEvents,
			@Min(1) @DefaultValue("100000") long maxPerEngine) {

		public Events {
			if (retention != null && (retention.isNegative() || retention.isZero())) {
				throw new IllegalArgumentException("engine-control.events.retention must be positive");
			}
			if (retentionInterval != null && retentionInterval.toMillis() < 1) {
				throw new IllegalArgumentException("engine-control.events.retention-interval must be at least 1ms");
			}
		}

	}

	/**
	 * Engine key rotation and last-use recording.
	 *
	 * @param rotationOverlap how long the previous keys keep working after a rotation; a
	 * rotation request may ask for a shorter overlap, never a longer one
	 * @param lastUsedFlushInterval how often up to 1,000 recorded key uses are written to
	 * the store
	 * @param lastUsedResolution how far apart two uses of a key must be for the later one
	 * to be recorded; {@code last_used_at} is behind by up to this and its write's turn
	 */
	public record Keys(@NotNull @DefaultValue("24h") Duration rotationOverlap,
			@NotNull @DefaultValue("1s") Duration lastUsedFlushInterval,
			@NotNull @DefaultValue("10m") Duration lastUsedResolution) {

		public Keys {
			if (rotationOverlap != null && rotationOverlap.isNegative()) {
				throw new IllegalArgumentException("engine-control.keys.rotation-overlap must not be negative");
			}
			if (lastUsedFlushInterval != null
					&& (lastUsedFlushInterval.isNegative() || lastUsedFlushInterval.isZero())) {
				throw new IllegalArgumentException("engine-control.keys.last-used-flush-interval must be positive");
			}
			if (lastUsedResolution != null && lastUsedResolution.isNegative()) {
				throw new IllegalArgumentException("engine-control.keys.last-used-resolution must not be negative");
			}
		}

	}

	/**
	 * Limits on failed authentications. Failures are counted per client address and per
	 * (engine id, client address); for {@code /engines/validate}, per calling engine and
	 * per (calling engine, validated engine id). Once a count reaches its limit within
	 * the window, further failing attempts of that kind are refused with 429 and
	 * {@code Retry-After} until the window, which starts at the first failure, ends;
	 * right credentials are never refused.
	 *
	 * @param enabled whether failed authentications are limited at all
	 * @param failuresPerAddress failures allowed per client address in a window
	 * @param failuresPerEngine failures allowed per (engine id, client address) in a
	 * window
	 * @param window how long failures are counted, from the first one
	 * @param maxTracked most addresses (and, separately, most pairs) remembered at once;
	 * beyond it the least useful entries are forgotten, so memory stays bounded
	 * @param trustedProxies CIDR ranges (or single addresses) of the proxies whose
	 * {@code X-Forwarded-For} is believed: when the direct peer is in one, the client
	 * address is the rightmost entry of that header not itself in one. Empty (the
	 * default): the header is ignored and the client address is the direct peer.
	 */
	public record AuthLimits(@DefaultValue("true") boolean enabled, @Min(1) @DefaultValue("10") int failuresPerAddress,
			@Min(1) @DefaultValue("10") int failuresPerEngine, @NotNull @DefaultValue("1m") Duration window,
			@Min(1) @DefaultValue("100000") long maxTracked, @DefaultValue List<String> trustedProxies) {

		public AuthLimits {
			if (window != null && (window.isNegative() || window.isZero())) {
				throw new IllegalArgumentException("engine-control.auth-limits.window must be positive");
			}
			trustedProxies = (trustedProxies != null) ? List.copyOf(trustedProxies) : List.of();
			for (String range : trustedProxies) {
				try {
					IpAddresses.Range.parse(range);
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(
							"engine-control.auth-limits.trusted-proxies: " + ex.getMessage());
				}
			}
		}

		/**
		 * The trusted proxies, parsed.
		 * @return the ranges
		 */
		public List<IpAddresses.Range> trustedProxyRanges() {
			return this.trustedProxies.stream().map(IpAddresses.Range::parse).toList();
		}

	}

	/**
	 * What happens between SIGTERM (or any close of the application) and the end of the
	 * process. In-flight requests are then drained for at most
	 * {@code spring.lifecycle.timeout-per-shutdown-phase}.
	 *
	 * @param readinessGrace how long, after shutdown begins, readiness answers 503 while
	 * requests are still accepted and served, so a load balancer stops sending before the
	 * port closes; 0 to skip
	 */
	public record Shutdown(@NotNull @DefaultValue("5s") Duration readinessGrace) {

		public Shutdown {
			if (readinessGrace != null && readinessGrace.isNegative()) {
				throw new IllegalArgumentException("engine-control.shutdown.readiness-grace must not be negative");
			}
		}

	}

	/**
	 * How long the audit trail of operator changes is kept.
	 *
	 * @param retention entries older than this are deleted; 0 (the default) keeps every
	 * entry forever
	 * @param retentionInterval pause between two runs of the audit retention job
	 */
	public record Audit(@NotNull @DefaultValue("0") Duration retention,
			@NotNull @DefaultValue("1h") Duration retentionInterval) {

		public Audit {
			if (retention != null && retention.isNegative()) {
				throw new IllegalArgumentException("engine-control.audit.retention must not be negative");
			}
			if (retentionInterval != null && retentionInterval.toMillis() < 1) {
				throw new IllegalArgumentException("engine-control.audit.retention-interval must be at least 1ms");
			}
		}

		/**
		 * Whether entries are ever deleted.
		 */
		public boolean keepsForever() {
			return this.retention == null || this.retention.isZero();
		}

	}

	/**
	 * Per-engine request budgets: token buckets held by each replica, so a fleet of N
	 * replicas behind a balancer admits up to N times these rates. Each bucket holds up
	 * to its burst and refills continuously at its rate; the operator is exempt. An
	 * operator may override any of the six numbers for one engine through {@code PUT
	 * /admin/engines/{id}/budget}.
	 *
	 * @param enabled whether budgets are enforced at all
	 * @param checksPerSecond checks per second (a batch item counts one)
	 * @param checksBurst checks an engine may send at once after being idle
	 * @param eventsPerSecond events per second (each event of a batch counts one)
	 * @param eventsBurst events an engine may send at once after being idle
	 * @param validatePerSecond {@code /engines/validate} calls per second
	 * @param validateBurst {@code /engines/validate} calls at once after being idle
	 * @param maxTracked most engines whose buckets are held at once; beyond it the least
	 * recently looked up are forgotten (a forgotten engine starts again with a full
	 * bucket)
	 */
	public record Budgets(@DefaultValue("true") boolean enabled,
			@Min(1) @Max(Budgets.MAX_RATE) @DefaultValue("1000") int checksPerSecond,
			@Min(1) @Max(Budgets.MAX_BURST) @DefaultValue("2000") int checksBurst,
			@Min(1) @Max(Budgets.MAX_RATE) @DefaultValue("500") int eventsPerSecond,
			@Min(1) @Max(Budgets.MAX_BURST) @DefaultValue("5000") int eventsBurst,
			@Min(1) @Max(Budgets.MAX_RATE) @DefaultValue("100") int validatePerSecond,
			@Min(1) @Max(Budgets.MAX_BURST) @DefaultValue("200") int validateBurst,
			@Min(1) @DefaultValue("100000") long maxTracked) {

		/** Highest rate a budget may have, per second. */
		public static final int MAX_RATE = 1_000_000;

		/** Highest burst a budget may have. */
		public static final int MAX_BURST = 10_000_000;

	}

	/**
	 * How a replica leases and gives back units of action quotas ({@code PUT
	 * /admin/quotas/{name}}).
	 *
	 * @param maxBlock most units a replica leases from the store at once
	 * @param idleGiveBack a replica gives back the units of a rule it has not used for
	 * this long
	 * @param recheck a limit found full, or a store found away, is answered from memory
	 * this long before the store is asked again
	 */
	public record Quotas(@Min(1) @Max(1_000_000) @DefaultValue("4096") int maxBlock,
			@NotNull @DefaultValue("1s") Duration idleGiveBack, @NotNull @DefaultValue("100ms") Duration recheck) {

		public Quotas {
			if (idleGiveBack != null && idleGiveBack.toMillis() < 1) {
				throw new IllegalArgumentException("engine-control.quotas.idle-give-back must be at least 1ms");
			}
			if (recheck != null && recheck.isNegative()) {
				throw new IllegalArgumentException("engine-control.quotas.recheck must not be negative");
			}
		}

	}

}
