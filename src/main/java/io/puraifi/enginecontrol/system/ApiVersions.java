package io.puraifi.enginecontrol.system;

import java.util.List;

/**
 * The versions of the HTTP API this build serves, and how a caller picks one. Spring
 * MVC's API versioning ({@link ApiVersionConfiguration}), the {@code API-Version}
 * response header, the unsupported-version problem, the OpenAPI description and
 * {@code GET /config/global} all read them from here.
 */
public final class ApiVersions {

	/** Request header that selects a version, and response header that names it. */
	public static final String HEADER = "API-Version";

	/** The version served to requests that do not ask for one. */
	public static final String DEFAULT = "1";

	/** Every version this build serves, oldest first. */
	public static final List<String> SUPPORTED = List.of(DEFAULT);

	private ApiVersions() {
	}

}
