package io.puraifi.enginecontrol.budget;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Durable store of per-engine budget overrides. Only engines with an override have one.
 */
public interface BudgetRepository {

	/**
	 * Every override.
	 * @return engine id to override
	 */
	Map<String, BudgetOverride> findAll();

	Optional<BudgetOverride> find(String engineId);

	/**
	 * Creates or replaces an engine's override.
	 */
	void save(String engineId, BudgetSettings settings, Instant now);

	/**
	 * Removes an engine's override.
	 * @return false when it had none
	 */
	boolean delete(String engineId);

}
