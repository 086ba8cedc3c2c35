package io.puraifi.enginecontrol.engine;

/**
 * A place for one engine's state that another part of the service keeps and reads on
 * every request, held with the engine in the registry's cache: the request reaches it
 * through its principal ({@link AuthenticatedEngine#slot()}) instead of looking it up in
 * a map of its own, which at 100,000 engines costs CPU cache misses on every check. A
 * slot starts empty each time the registry loads the engine; a request that began before
 * the registry dropped the engine may still use the old one. What it holds is a reference
 * to state its user keeps elsewhere, and its user checks that the reference is still
 * current before using it. Only the budgets use it (for an engine's buckets, see
 * {@code EngineBudgets}); another user would need a slot of its own.
 */
public final class EngineSlot {

	private volatile Object value;

	/**
	 * What the slot holds.
	 * @return the value, or null when empty
	 */
	public Object get() {
		return this.value;
	}

	/**
	 * Replaces what the slot holds.
	 * @param value the new value
	 */
	public void set(Object value) {
		this.value = value;
	}

}
