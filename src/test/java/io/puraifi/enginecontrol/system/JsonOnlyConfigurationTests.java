package io.puraifi.enginecontrol.system;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Of the converters Spring registers by default, those of other formats than JSON are
 * taken out.
 */
class JsonOnlyConfigurationTests {

	@Test
	void defaultConvertersThenOnlyJsonAndFormatFreeOnesStay() {
		HttpMessageConverters.ServerBuilder builder = HttpMessageConverters.forServer().registerDefaults();
		new JsonOnlyConfiguration().configureMessageConverters(builder);
		List<HttpMessageConverter<?>> converters = new ArrayList<>();
		builder.build().forEach(converters::add);
		List<MediaType> types = new ArrayList<>();
		converters.forEach((converter) -> types.addAll(converter.getSupportedMediaTypes()));
		assertThat(types).contains(MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM)
			.noneMatch((type) -> type.getSubtype().endsWith("xml") || type.getSubtype().endsWith("yaml"))
			.doesNotContain(MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA);
	}

}
