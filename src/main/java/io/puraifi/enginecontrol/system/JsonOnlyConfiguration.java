package io.puraifi.enginecontrol.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every body is JSON and every answer JSON or problem+json. Spring registers a converter
 * for each format whose library is on the classpath; springdoc brings a YAML one, which
 * read YAML bodies with its own mapper (camelCase names, unknown fields ignored) and
 * offered YAML answers. It is removed: a YAML body is a 415 and {@code Accept:
 * application/yaml} a 406, like any other format. So is the XML one (JAXB, whose API
 * another library brings): it writes only {@code @XmlRootElement} types, of which there
 * are none, but Spring MVC asked it whether it could write every answer, check answers
 * included.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyConfiguration implements WebMvcConfigurer {

	@Override
	public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
		builder.configureMessageConvertersList((converters) -> converters.removeIf(JsonOnlyConfiguration::isYamlOrXml));
	}

	static boolean isYamlOrXml(HttpMessageConverter<?> converter) {
		return converter.getSupportedMediaTypes()
			.stream()
			.anyMatch((type) -> type.getSubtype().endsWith("yaml") || type.getSubtype().endsWith("xml"));
	}

}
