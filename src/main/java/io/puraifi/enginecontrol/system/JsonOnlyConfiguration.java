package io.puraifi.enginecontrol.system;

import java.util.List;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every body is JSON and every answer JSON or problem+json. Spring registers a converter
 * for each format whose library is on the classpath: springdoc's YAML library made a YAML
 * body register an engine (camelCase names, unknown fields ignored), and JAXB's API
 * brought an XML converter that Spring MVC asked about every answer. Only the JSON
 * converters and the format-free ones (strings, bytes, resources: the Prometheus scrape
 * and the description's YAML file are written through them) are kept, whatever a library
 * brings next; a body in any other format is a 415, an {@code Accept} of one a 406.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyConfiguration implements WebMvcConfigurer {

	@Override
	public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
		builder
			.configureMessageConvertersList((converters) -> converters.removeIf(JsonOnlyConfiguration::isOtherFormat));
	}

	/**
	 * Whether a converter reads or writes a format other than JSON: it names a media type
	 * that is neither JSON nor {@code *}{@code /*}.
	 */
	static boolean isOtherFormat(HttpMessageConverter<?> converter) {
		List<MediaType> types = converter.getSupportedMediaTypes();
		return !types.contains(MediaType.ALL) && !types.stream().allMatch(JsonOnlyConfiguration::isJson);
	}

	private static boolean isJson(MediaType type) {
		return type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
	}

}
