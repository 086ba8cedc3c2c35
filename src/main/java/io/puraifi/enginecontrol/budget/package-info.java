/**
 * Per-engine request budgets: token buckets for checks, events and validations, and the
 * operator's per-engine overrides.
 */
package io.puraifi.enginecontrol.budget;
