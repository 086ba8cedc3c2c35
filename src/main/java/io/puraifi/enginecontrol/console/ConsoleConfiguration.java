package io.puraifi.enginecontrol.console;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.puraifi.enginecontrol.system.FilterOrder;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the console: {@code /console} is its one page
 * ({@code static/console/index.html}), {@code /console/*} its scripts and styles. They
 * are public files (the authentication filter lets them through); every call they make to
 * the API carries the operator's headers like any other client's. Each console response
 * carries a Content-Security-Policy that allows only this origin's scripts and styles (no
 * inline code, no third-party origin) and no framing.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration implements WebMvcConfigurer {

	static final String PATH = "/console";

	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
			+ "frame-ancestors 'none'";

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addViewController(PATH).setViewName("forward:" + PATH + "/index.html");
		registry.addRedirectViewController(PATH + "/", PATH);
	}

	@Bean
	FilterRegistrationBean<ConsoleHeadersFilter> consoleHeadersFilter() {
		FilterRegistrationBean<ConsoleHeadersFilter> registration = new FilterRegistrationBean<>(
				new ConsoleHeadersFilter());
		registration.setOrder(FilterOrder.CONSOLE_HEADERS);
		return registration;
	}

	static boolean isConsole(String path) {
		return path.equals(PATH) || path.startsWith(PATH + "/");
	}

	/** Sets the console's security headers on every response under {@code /console}. */
	static final class ConsoleHeadersFilter extends OncePerRequestFilter {

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			return !isConsole(request.getRequestURI().substring(request.getContextPath().length()));
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
			response.setHeader("X-Content-Type-Options", "nosniff");
			response.setHeader("X-Frame-Options", "DENY");
			response.setHeader("Referrer-Policy", "no-referrer");
			response.setHeader("Cache-Control", "no-cache");
			chain.doFilter(request, response);
		}

	}

}
