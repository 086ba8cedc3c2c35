package io.puraifi.enginecontrol.propagation;

/**
 * What a change touched, and so which cache must drop the changed key.
 */
public enum ChangeKind {

	ENGINE, PLATFORM, FLAG, ENROLLMENT, BUDGET, QUOTA

}
