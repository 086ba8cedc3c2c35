package io.puraifi.enginecontrol.platform;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.Names;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * Applies the platform catalog file to the store at startup, before the server takes
 * requests. A malformed catalog stops startup with a message that says what is wrong.
 */
@Component
class CatalogLoader implements SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(CatalogLoader.class);

	private static final Pattern SCOPE = Pattern.compile("^\\S{1,200}$");

	private final PlatformCatalog catalog;

	private final Resource resource;

	CatalogLoader(PlatformCatalog catalog, EngineControlProperties properties, ResourceLoader resourceLoader) {
		this.catalog = catalog;
		String location = properties.catalog();
		this.resource = location.startsWith("classpath:") ? resourceLoader.getResource(location)
				: new FileSystemResource(location);
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<PlatformDefinition> definitions = read(this.resource);
		this.catalog.apply(definitions);
		log.atInfo()
			.addKeyValue("catalog", this.resource.getDescription())
			.addKeyValue("platforms", definitions.size())
			.log("platform catalog applied");
	}

	static List<PlatformDefinition> read(Resource resource) {
		Object document;
		try (InputStream in = resource.getInputStream()) {
			document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("Cannot read the platform catalog " + resource.getDescription(), ex);
		}
		Map<?, ?> platforms = map(map(document, "the catalog").get("platforms"), "platforms");
		List<PlatformDefinition> definitions = new ArrayList<>();
		platforms.forEach((key, value) -> {
			String name = name(key, "platform");
			Map<?, ?> body = map(value, "platform " + name);
			Map<String, List<String>> actions = new LinkedHashMap<>();
			map(body.get("actions"), "actions of " + name).forEach((actionKey, scopes) -> {
				String action = name(actionKey, "action of " + name);
				if (!(scopes instanceof List<?> list)) {
					throw invalid("scopes of " + name + "." + action + " must be a list");
				}
				List<String> scopeNames = new ArrayList<>();
				for (Object scope : list) {
					if (scope == null || !SCOPE.matcher(scope.toString()).matches()) {
						throw invalid("scope '" + scope + "' of " + name + "." + action + " is not a scope name");
					}
					scopeNames.add(scope.toString());
				}
				actions.put(action, List.copyOf(scopeNames));
			});
			Object displayName = body.get("display_name");
			Object version = body.get("version");
			definitions.add(new PlatformDefinition(name, (displayName != null) ? displayName.toString() : name,
					(version != null) ? version.toString() : "1", actions));
		});
		return definitions;
	}

	private static Map<?, ?> map(Object value, String what) {
		if (!(value instanceof Map<?, ?> map)) {
			throw invalid(what + " must be a mapping");
		}
		return map;
	}

	private static String name(Object key, String what) {
		String name = String.valueOf(key);
		if (!Names.isName(name)) {
			throw invalid(what + " '" + name + "' " + Names.NAME_RULE);
		}
		return name;
	}

	private static IllegalStateException invalid(String message) {
		return new IllegalStateException("Invalid platform catalog: " + message);
	}

}
