package io.puraifi.enginecontrol.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.system.EngineControlProperties;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Makes sure an operator principal exists before the server takes requests. Its key comes
 * from {@code ENGINE_CONTROL_BOOTSTRAP_ADMIN_KEY}; without it, the first start generates
 * one and writes it to {@code <data-dir>/bootstrap-admin.key}, readable by the owner
 * only. Only the file's path is logged. There is one operator: start-up fails when the
 * configured id is an ordinary engine's, and operators under any other id (the id was
 * changed) are demoted to ordinary engines.
 */
@Component
class AdminBootstrap implements SmartInitializingSingleton {

	static final String KEY_FILE = "bootstrap-admin.key";

	private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

	private final EngineRegistry registry;

	private final EngineControlProperties properties;

	AdminBootstrap(EngineRegistry registry, EngineControlProperties properties) {
		this.registry = registry;
		this.properties = properties;
	}

	@Override
	public void afterSingletonsInstantiated() {
		String adminId = this.properties.adminEngineId();
		this.registry.requireOperatorIdFree(adminId);
		installOperator(adminId);
		for (String demoted : this.registry.demoteOtherOperators(adminId)) {
			log.atWarn()
				.addKeyValue("admin_engine_id", adminId)
				.addKeyValue("demoted_engine_id", demoted)
				.log("demoted a former operator to an ordinary engine; revoke it if its key should stop working");
		}
	}

	private void installOperator(String adminId) {
		String configuredKey = this.properties.bootstrapAdminKey();
		if (configuredKey != null) {
			if (configuredKey.length() < 32 || configuredKey.length() > 256) {
				throw new IllegalStateException(
						"ENGINE_CONTROL_BOOTSTRAP_ADMIN_KEY must be between 32 and 256 characters (value not shown)");
			}
			this.registry.installAdminKey(adminId, configuredKey);
			log.atInfo().addKeyValue("admin_engine_id", adminId).log("operator key taken from the environment");
			return;
		}
		if (this.registry.exists(adminId)) {
			return;
		}
		Path file = this.properties.dataDir().resolve(KEY_FILE).toAbsolutePath();
		String key = EngineKeys.generate();
		writeOwnerOnly(file, key);
		if (this.registry.createAdmin(adminId, key)) {
			log.atWarn()
				.addKeyValue("admin_engine_id", adminId)
				.addKeyValue("key_file", file.toString())
				.log("generated the operator key; read it from the key file");
		}
		else {
			deleteQuietly(file);
		}
	}

	private static void writeOwnerOnly(Path file, String key) {
		try {
			Files.createDirectories(file.getParent());
			Files.deleteIfExists(file);
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			Files.writeString(file, key + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the operator key file " + file, ex);
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			log.atWarn().addKeyValue("key_file", file.toString()).log("cannot delete an unused key file");
		}
	}

}
