package io.puraifi.enginecontrol.system;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

/**
 * Jackson's stream read limits, set deliberately rather than left at the library's
 * generous defaults (nesting 500, strings 20 million characters, numbers 1000 digits,
 * names 50,000 characters): a body past any of them is refused with 400 while it is
 * parsed, before it is bound to anything.
 * <p>
 * Jackson 3 takes the limits only when the {@link JsonFactory} is built, and Spring Boot
 * 4.0 builds the {@link JsonMapper.Builder} on a default factory, so this replaces Boot's
 * builder bean with one on a limited factory and applies every
 * {@link JsonMapperBuilderCustomizer} (the {@code spring.jackson.*} settings among them)
 * exactly as Boot does.
 */
@Configuration(proxyBeanMethods = false)
class JsonLimitsConfiguration {

	/**
	 * Deepest nesting of objects and arrays. The deepest valid body is a batch of events
	 * with attributes nested {@code engine-control.events.max-attribute-depth} (at most
	 * 16) levels, about 20 in all.
	 */
	static final int MAX_NESTING_DEPTH = 32;

	/**
	 * Longest string value, in characters. The longest valid one is an event message
	 * (4096 characters at most).
	 */
	static final int MAX_STRING_LENGTH = 16_384;

	/** Longest number, in characters: a long has 19 digits, a double about 24. */
	static final int MAX_NUMBER_LENGTH = 32;

	/**
	 * Longest field name, in characters: attribute keys may be as long as
	 * {@code engine-control.events.max-attribute-value-length} (1024 by default).
	 */
	static final int MAX_NAME_LENGTH = 1_024;

	static StreamReadConstraints constraints(EngineControlProperties properties) {
		long largestBody = Math.max(properties.maxBodySize().toBytes(), properties.maxBatchBodySize().toBytes());
		return StreamReadConstraints.builder()
			.maxNestingDepth(MAX_NESTING_DEPTH)
			.maxStringLength(MAX_STRING_LENGTH)
			.maxNumberLength(MAX_NUMBER_LENGTH)
			.maxNameLength(MAX_NAME_LENGTH)
			.maxDocumentLength(largestBody)
			.build();
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	JsonMapper.Builder jsonMapperBuilder(EngineControlProperties properties,
			ObjectProvider<JsonMapperBuilderCustomizer> customizers) {
		JsonFactory factory = JsonFactory.builder().streamReadConstraints(constraints(properties)).build();
		JsonMapper.Builder builder = JsonMapper.builder(factory);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder;
	}

}
