package io.puraifi.enginecontrol.engine;

import java.util.List;

import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Lets controllers declare an {@link AuthenticatedEngine} parameter.
 */
@Configuration(proxyBeanMethods = false)
class EngineWebConfiguration implements WebMvcConfigurer {

	static {
		// Resolved from the authentication filter, not from the request: not an API
		// parameter.
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(AuthenticatedEngine.class);
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(new AuthenticatedEngineResolver());
	}

	private static final class AuthenticatedEngineResolver implements HandlerMethodArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.getParameterType() == AuthenticatedEngine.class;
		}

		@Override
		public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
				NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
			Object principal = webRequest.getAttribute(AuthenticatedEngine.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
			if (principal == null) {
				throw new IllegalStateException("No authenticated engine for this request");
			}
			return principal;
		}

	}

}
