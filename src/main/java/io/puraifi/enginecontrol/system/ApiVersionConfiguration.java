package io.puraifi.enginecontrol.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.accept.ApiVersionStrategy;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.ApiVersionConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * API versioning with Spring MVC's built-in support: the version comes from the
 * {@code API-Version} request header, requests without it get
 * {@link ApiVersions#DEFAULT}, and a version outside {@link ApiVersions#SUPPORTED} is
 * refused with a 400 problem (see {@link ApiExceptionHandler}). Every API response,
 * errors included, names the version it was served with in the {@code API-Version}
 * response header. Actuator endpoints are not versioned.
 */
@Configuration(proxyBeanMethods = false)
class ApiVersionConfiguration implements WebMvcConfigurer {

	@Override
	public void configureApiVersioning(ApiVersionConfigurer configurer) {
		configurer.useRequestHeader(ApiVersions.HEADER)
			.setDefaultVersion(ApiVersions.DEFAULT)
			.addSupportedVersions(ApiVersions.SUPPORTED.toArray(String[]::new))
			.detectSupportedVersions(false);
	}

	@Bean
	FilterRegistrationBean<ApiVersionHeaderFilter> apiVersionHeaderFilter(ObjectProvider<ApiVersionStrategy> strategy) {
		FilterRegistrationBean<ApiVersionHeaderFilter> registration = new FilterRegistrationBean<>(
				new ApiVersionHeaderFilter(strategy));
		registration.setOrder(FilterOrder.API_VERSION_HEADER);
		return registration;
	}

	/**
	 * Writes {@code API-Version} on every response before anything else can answer: the
	 * supported version the caller asked for, or the default one (also for a request
	 * whose version is refused: its problem is written in the default version's format).
	 */
	static final class ApiVersionHeaderFilter extends OncePerRequestFilter {

		private final ObjectProvider<ApiVersionStrategy> strategy;

		// Looked up on the first request, not on each: a bean lookup per request is
		// costly on the check's hot path.
		private volatile ApiVersionStrategy resolved;

		ApiVersionHeaderFilter(ObjectProvider<ApiVersionStrategy> strategy) {
			this.strategy = strategy;
		}

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			String path = request.getRequestURI().substring(request.getContextPath().length());
			return path.equals("/actuator") || path.startsWith("/actuator/");
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			response.setHeader(ApiVersions.HEADER, servedVersion(request));
			chain.doFilter(request, response);
		}

		private String servedVersion(HttpServletRequest request) {
			ApiVersionStrategy strategy = this.resolved;
			if (strategy == null) {
				strategy = this.strategy.getIfAvailable();
				this.resolved = strategy;
			}
			String requested = (strategy != null) ? strategy.resolveVersion(request) : null;
			if (requested == null || requested.isBlank()) {
				return ApiVersions.DEFAULT;
			}
			try {
				Comparable<?> parsed = strategy.parseVersion(requested.trim());
				for (String supported : ApiVersions.SUPPORTED) {
					if (strategy.parseVersion(supported).equals(parsed)) {
						return supported;
					}
				}
			}
			catch (RuntimeException ex) {
				// Not a version at all: Spring MVC refuses it; the problem is version 1.
			}
			return ApiVersions.DEFAULT;
		}

	}

}
