package io.puraifi.enginecontrol.system;

import org.springframework.context.SmartLifecycle;

/**
 * Lifecycle phases of this service's own background work.
 */
public final class Phases {

	/**
	 * Background work (change following, the decision record, key last-use, event
	 * retention) starts before the web server and stops after it has drained its requests
	 * (the web server and its graceful shutdown run at higher phases), so that what those
	 * requests do is still followed and recorded.
	 */
	public static final int BACKGROUND = SmartLifecycle.DEFAULT_PHASE - 4096;

	private Phases() {
	}

}
