package io.puraifi.enginecontrol.engine;

import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

/**
 * The principal of the current request, as the authentication filter established it.
 * Declare it as a controller method parameter to receive it.
 *
 * @param engineId the authenticated engine id
 * @param role engine or admin
 * @param slot the engine's slot in the registry's cache, or null when there is none
 */
public record AuthenticatedEngine(String engineId, EngineRole role, EngineSlot slot) {

	public static final String ATTRIBUTE = AuthenticatedEngine.class.getName();

	/**
	 * A principal without a slot.
	 * @param engineId the authenticated engine id
	 * @param role engine or admin
	 */
	public AuthenticatedEngine(String engineId, EngineRole role) {
		this(engineId, role, null);
	}

	public boolean isAdmin() {
		return this.role == EngineRole.ADMIN;
	}

	/**
	 * Refuses the request with 403 unless the principal is the operator.
	 */
	public void requireAdmin() {
		if (!isAdmin()) {
			throw new ProblemException(ProblemType.FORBIDDEN, "This operation is reserved for operators");
		}
	}

}
