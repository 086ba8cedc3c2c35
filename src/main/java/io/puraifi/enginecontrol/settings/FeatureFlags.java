package io.puraifi.enginecontrol.settings;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.puraifi.enginecontrol.audit.AuditTrail;
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

	private final AuditTrail audit;

	/** The mode of a flag that denies. */
	public static final String ENFORCE = "enforce";

	/** The mode of a flag that only reports the checks it would have denied. */
	public static final String SHADOW = "shadow";

	/** Every flag that is set; replaced whole, never changed in place. */
	private volatile Map<String, Boolean> flags;

	/** The flags in enforce mode, which a check consults; replaced whole. */
	private volatile Map<String, Boolean> enforced;

	/** The flags in shadow mode; replaced whole. */
	private volatile Set<String> shadowed;

	/** The kill switches off in shadow mode; replaced whole. */
	private volatile Set<String> shadowedOff;

	FeatureFlags(FlagRepository repository, Clock clock, Changes changes, AuditTrail audit,
			MeterRegistry meterRegistry) {
		this.repository = repository;
		this.clock = clock;
		this.changes = changes;
		this.audit = audit;
		replaceAll(repository.list());
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
	 * A flag's value as a check consults it, from memory: empty for a flag in shadow
	 * mode, which never denies.
	 * @param name the flag name
	 * @return its value, or empty when never set or in shadow mode
	 */
	public Optional<Boolean> enforced(String name) {
		return Optional.ofNullable(this.enforced.get(name));
	}

	/**
	 * The kill switches of a check that are off in shadow mode: those that would have
	 * denied it. No allocation when no switch is off in shadow mode.
	 * @param engineId the engine the check is for
	 * @param platform the platform
	 * @param actionType the action
	 * @return the switch names, in the order a check consults them
	 */
	public List<String> shadowedOffFor(String engineId, String platform, String actionType) {
		Set<String> off = this.shadowedOff;
		if (off.isEmpty()) {
			return List.of();
		}
		List<String> found = new ArrayList<>(1);
		for (String flag : killSwitchesFor(engineId, platform, actionType)) {
			if (off.contains(flag)) {
				found.add(flag);
			}
		}
		return found;
	}

	/**
	 * Whether a flag is in shadow mode, from memory.
	 * @param name the flag name
	 * @return true when set in shadow mode
	 */
	public boolean isShadow(String name) {
		return this.shadowed.contains(name);
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
		Map<String, Boolean> enforced = new HashMap<>(this.enforced);
		Set<String> shadowed = new HashSet<>(this.shadowed);
		Set<String> shadowedOff = new HashSet<>(this.shadowedOff);
		flags.remove(name);
		enforced.remove(name);
		shadowed.remove(name);
		shadowedOff.remove(name);
		this.repository.findFlag(name).ifPresent((flag) -> add(flag, flags, enforced, shadowed, shadowedOff));
		this.enforced = Map.copyOf(enforced);
		this.shadowed = Set.copyOf(shadowed);
		this.shadowedOff = Set.copyOf(shadowedOff);
		this.flags = Map.copyOf(flags);
	}

	private void replaceAll(List<Flag> all) {
		Map<String, Boolean> flags = new HashMap<>();
		Map<String, Boolean> enforced = new HashMap<>();
		Set<String> shadowed = new HashSet<>();
		Set<String> shadowedOff = new HashSet<>();
		for (Flag flag : all) {
			add(flag, flags, enforced, shadowed, shadowedOff);
		}
		this.enforced = Map.copyOf(enforced);
		this.shadowed = Set.copyOf(shadowed);
		this.shadowedOff = Set.copyOf(shadowedOff);
		this.flags = Map.copyOf(flags);
	}

	private static void add(Flag flag, Map<String, Boolean> flags, Map<String, Boolean> enforced, Set<String> shadowed,
			Set<String> shadowedOff) {
		flags.put(flag.name(), flag.enabled());
		if (flag.shadow()) {
			shadowed.add(flag.name());
			if (!flag.enabled()) {
				shadowedOff.add(flag.name());
			}
		}
		else {
			enforced.put(flag.name(), flag.enabled());
		}
	}

	/** Re-reads every flag, when changes may have been missed. */
	private synchronized void reloadAll() {
		replaceAll(this.repository.list());
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
			Flag before = this.repository.findFlag(name)
				.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No flag named '" + name + "' is set"));
			this.repository.delete(name);
			this.audit.record("flag.delete", "flag", name, Map.of("enabled", before.enabled(), "mode", before.mode()),
					null);
		});
	}

	/**
	 * Sets a flag in enforce mode; the next check sees it.
	 * @param name the flag name
	 * @param enabled its new value
	 */
	public void set(String name, boolean enabled) {
		set(name, enabled, false);
	}

	/**
	 * Sets a flag; the next check sees it. A kill switch off in shadow mode does not
	 * deny: a check it would have denied reports it in {@code shadow}.
	 * @param name the flag name
	 * @param enabled its new value
	 * @param shadow whether it is in shadow mode
	 */
	public void set(String name, boolean enabled, boolean shadow) {
		this.changes.run(ChangeKind.FLAG, name, () -> {
			Flag before = this.repository.findFlag(name).orElse(null);
			this.repository.save(name, enabled, shadow, this.clock.instant());
			this.audit.record("flag.set", "flag", name,
					(before != null) ? Map.of("enabled", before.enabled(), "mode", before.mode()) : null,
					Map.of("enabled", enabled, "mode", shadow ? SHADOW : ENFORCE));
		});
	}

}
