package io.puraifi.enginecontrol.settings;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.puraifi.enginecontrol.admin.AdminAudit;
import io.puraifi.enginecontrol.propagation.ChangeKind;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.stereotype.Component;

/**
 * Named boolean flags that engines read and operators flip without a restart. Four kinds
 * of flag are kill switches: set to false, they deny checks. {@code global} stops every
 * action of every engine, {@code engine.<engine_id>} every action of one engine,
 * {@code platform.<platform>} every action on one platform and
 * {@code action.<platform>.<action_type>} one action; a check consults them in that order
 * ({@link #killSwitchesFor}). A flag never set counts as on. Every flag that is set is
 * held in memory (the table holds only what operators set, a few rows per switched-off
 * engine, platform or action), so a check never reads the store for a flag, and the
 * number of engines does not matter; a change to a flag, on any replica, re-reads that
 * flag through {@link Changes}.
 */
@Component
public class FeatureFlags {

	private final FlagRepository repository;

	private final Clock clock;

	private final Changes changes;

	private final AdminAudit audit;

	/** Every flag that is set; replaced whole, never changed in place. */
	private volatile Map<String, Boolean> flags;

	FeatureFlags(FlagRepository repository, Clock clock, Changes changes, AdminAudit audit,
			MeterRegistry meterRegistry) {
		this.repository = repository;
		this.clock = clock;
		this.changes = changes;
		this.audit = audit;
		this.flags = Map.copyOf(repository.findAll());
		Gauge.builder("engine.control.flags", () -> this.flags.size())
			.description("Flags set, all held in memory")
			.register(meterRegistry);
		changes.subscribe(ChangeKind.FLAG, this::reload, this::reloadAll);
	}

	/**
	 * The name of the kill switch for every action of every engine.
	 */
	public static final String GLOBAL = "global";

	/**
	 * The name of the kill switch for every action of one engine.
	 */
	public static String engineFlag(String engineId) {
		return "engine." + engineId;
	}

	/**
	 * The kill switches that apply to a check, in the order a check consults them: the
	 * first that is off names the denial.
	 * @param engineId the engine the check is for
	 * @param platform the platform
	 * @param actionType the action
	 * @return global, engine, platform and action switch names
	 */
	public static List<String> killSwitchesFor(String engineId, String platform, String actionType) {
		return List.of(GLOBAL, engineFlag(engineId), platformFlag(platform), actionFlag(platform, actionType));
	}

	/**
	 * The name of the kill switch for a whole platform.
	 */
	public static String platformFlag(String platform) {
		return "platform." + platform;
	}

	/**
	 * The name of the kill switch for one action of a platform.
	 */
	public static String actionFlag(String platform, String actionType) {
		return "action." + platform + "." + actionType;
	}

	/**
	 * A flag's value, from memory.
	 * @param name the flag name
	 * @return its value, or empty when never set
	 */
	public Optional<Boolean> find(String name) {
		return Optional.ofNullable(this.flags.get(name));
	}

	/** Re-reads one flag after it changed. */
	private synchronized void reload(String name) {
		Map<String, Boolean> flags = new HashMap<>(this.flags);
		this.repository.find(name).ifPresentOrElse((enabled) -> flags.put(name, enabled), () -> flags.remove(name));
		this.flags = Map.copyOf(flags);
	}

	/** Re-reads every flag, when changes may have been missed. */
	private synchronized void reloadAll() {
		this.flags = Map.copyOf(this.repository.findAll());
	}

	/**
	 * Every flag, read from the store.
	 * @return flag name to value
	 */
	public SortedMap<String, Boolean> all() {
		return this.repository.findAll();
	}

	/**
	 * Every flag that has been set, with when, read from the store.
	 * @return the flags, sorted by name
	 */
	public List<Flag> list() {
		return this.repository.list();
	}

	/**
	 * Removes a flag, so that it counts as never set (on); the next check sees it.
	 * @param name the flag name
	 * @throws ProblemException 404 when the flag was never set
	 */
	public void reset(String name) {
		this.changes.run(ChangeKind.FLAG, name, () -> {
			Boolean before = this.repository.find(name)
				.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No flag named '" + name + "' is set"));
			this.repository.delete(name);
			this.audit.record("flag.delete", "flag", name, Map.of("enabled", before), null);
		});
	}

	/**
	 * Sets a flag; the next check sees it.
	 * @param name the flag name
	 * @param enabled its new value
	 */
	public void set(String name, boolean enabled) {
		Boolean before = find(name).orElse(null);
		this.changes.run(ChangeKind.FLAG, name, () -> {
			this.repository.save(name, enabled, this.clock.instant());
			this.audit.record("flag.set", "flag", name, (before != null) ? Map.of("enabled", before) : null,
					Map.of("enabled", enabled));
		});
	}

}
