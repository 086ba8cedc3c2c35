package io.puraifi.enginecontrol.system;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Makes the errors Tomcat raises itself, before any filter or controller runs,
 * {@code application/problem+json} like every other error: the host's HTML error report
 * valve is replaced by {@link ProblemErrorReportValve}. Header sizes are bounded by
 * {@code server.max-http-request-header-size} (see {@code application.properties}).
 */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValve() {
		return new ProblemValveCustomizer();
	}

	/**
	 * Runs after Boot's own customizer, which adds a plain {@link ErrorReportValve} to
	 * the host.
	 */
	static final class ProblemValveCustomizer
			implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

		@Override
		public void customize(TomcatServletWebServerFactory factory) {
			factory.addContextCustomizers((context) -> {
				Container host = context.getParent();
				if (host instanceof StandardHost standardHost) {
					// The host adds a valve of this class when it starts, unless one is
					// there.
					standardHost.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
				}
				for (Valve valve : host.getPipeline().getValves()) {
					if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
						host.getPipeline().removeValve(valve);
					}
				}
				host.getPipeline().addValve(new ProblemErrorReportValve());
			});
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

	}

}
