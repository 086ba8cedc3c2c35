package io.puraifi.enginecontrol.system;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A stop asked for with SIGTERM or SIGINT ends with exit status 0 once the graceful
 * shutdown (the shutdown hooks) is done, instead of the JVM's 143 or 130: the service did
 * what it was asked. {@code ./mvnw spring-boot:run} reported every stop as "BUILD FAILURE
 * ... exit code: 143" when the signal reached Maven alone (an IDE's stop button, a
 * script): Maven gives the application 5 s, then sends it SIGTERM, and counts only 0 and
 * 130 as success. A signal the process was started ignoring (a background job's SIGINT)
 * stays ignored.
 */
public final class CleanStop {

	private CleanStop() {
	}

	/**
	 * Handles SIGTERM and SIGINT from now on: each starts the JVM's shutdown, hooks
	 * included, with exit status 0.
	 */
	public static void onSignals() {
		try {
			// sun.misc.Signal (module jdk.unsupported, kept for this use) through
			// reflection: named directly, javac warns at every build.
			Class<?> signalType = Class.forName("sun.misc.Signal");
			Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
			Constructor<?> signal = signalType.getConstructor(String.class);
			Method handle = signalType.getMethod("handle", signalType, handlerType);
			Object exitZero = Proxy.newProxyInstance(CleanStop.class.getClassLoader(), new Class<?>[] { handlerType },
					(proxy, method, arguments) -> switch (method.getName()) {
						case "handle" -> {
							System.exit(0);
							yield null;
						}
						case "hashCode" -> System.identityHashCode(proxy);
						case "equals" -> proxy == arguments[0];
						default -> "exit 0 after the graceful shutdown";
					});
			for (String name : new String[] { "TERM", "INT" }) {
				try {
					handle.invoke(null, signal.newInstance(name), exitZero);
				}
				catch (ReflectiveOperationException ex) {
					// Not on this platform, or the JVM was told to leave it alone (-Xrs).
				}
			}
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// No sun.misc.Signal: the JVM's own exit statuses stay.
		}
	}

}
