package io.puraifi.enginecontrol.budget;

import java.time.Instant;

/**
 * A stored override of one engine's budget.
 *
 * @param engineId the engine
 * @param settings the numbers set; null ones take the default
 * @param updatedAt when the operator last set it
 */
public record BudgetOverride(String engineId, BudgetSettings settings, Instant updatedAt) {
}
