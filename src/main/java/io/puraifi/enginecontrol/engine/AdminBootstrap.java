package io.puraifi.enginecontrol.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.audit.AuditTrail;
import io.puraifi.enginecontrol.propagation.ChangeKind;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.EngineControlProperties;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DuplicateKeyException;
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

	private final EngineRepository repository;

	private final Clock clock;

	private final Changes changes;

	private final AuditTrail audit;

	private final EngineControlProperties properties;

	AdminBootstrap(EngineRepository repository, Clock clock, Changes changes, AuditTrail audit,
			EngineControlProperties properties) {
		this.repository = repository;
		this.clock = clock;
		this.changes = changes;
		this.audit = audit;
		this.properties = properties;
	}

	@Override
	public void afterSingletonsInstantiated() {
		String adminId = this.properties.adminEngineId();
		requireOperatorIdFree(adminId);
		installOperator(adminId);
		for (String demoted : demoteOtherOperators(adminId)) {
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
			installAdminKey(adminId, configuredKey);
			log.atInfo().addKeyValue("admin_engine_id", adminId).log("operator key taken from the environment");
			return;
		}
		if (exists(adminId)) {
			return;
		}
		Path file = this.properties.dataDir().resolve(KEY_FILE).toAbsolutePath();
		String key = EngineKeys.generate();
		writeOwnerOnly(file, key);
		if (createAdmin(adminId, key)) {
			log.atWarn()
				.addKeyValue("admin_engine_id", adminId)
				.addKeyValue("key_file", file.toString())
				.log("generated the operator key; read it from the key file");
		}
		else {
			deleteQuietly(file);
		}
	}

	/**
	 * Creates the operator principal with the given key unless it exists.
	 * @param adminId the operator's engine id
	 * @param key the operator's key
	 * @return true when it was created now, false when it already existed
	 */
	private boolean createAdmin(String adminId, String key) {
		if (this.repository.findById(adminId).isPresent()) {
			return false;
		}
		Instant now = this.clock.instant();
		Engine admin = new Engine(adminId, "Operator principal", EngineRole.ADMIN, EngineStatus.ACTIVE,
				Engine.sorted(Map.of()), now, now);
		try {
			this.changes.run(ChangeKind.ENGINE, adminId, () -> {
				this.repository.insert(admin, EngineKeys.hash(key));
				this.audit.record("engine.register", "engine", adminId, null, admin);
			});
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * Refuses an operator id that names an ordinary engine: making it the operator would
	 * hand that engine's key holders the operator's powers.
	 * @param adminId the configured operator id
	 * @throws IllegalStateException when an engine with that id exists and is not the
	 * operator
	 */
	private void requireOperatorIdFree(String adminId) {
		Optional<Engine> existing = this.repository.findById(adminId);
		if (existing.isPresent() && existing.get().role() != EngineRole.ADMIN) {
			throw new IllegalStateException("ENGINE_CONTROL_ADMIN_ENGINE_ID is '" + adminId
					+ "', the id of an ordinary engine; choose an id no engine has, or delete that engine first");
		}
	}

	/**
	 * Demotes every operator principal but the configured one to an ordinary engine (no
	 * capabilities, keys and status kept), so that changing the operator id leaves one
	 * operator.
	 * @param adminId the configured operator id
	 * @return the ids demoted
	 */
	private List<String> demoteOtherOperators(String adminId) {
		List<String> demoted = new ArrayList<>();
		for (String engineId : this.repository.findIdsByRole(EngineRole.ADMIN)) {
			if (engineId.equals(adminId)) {
				continue;
			}
			Optional<Engine> before = this.repository.findById(engineId);
			if (before.isEmpty()) {
				continue;
			}
			Instant now = this.clock.instant();
			Engine engine = before.get();
			Engine after = new Engine(engineId, engine.description(), EngineRole.ENGINE, engine.status(),
					engine.capabilities(), engine.createdAt(), now);
			this.changes.run(ChangeKind.ENGINE, engineId, () -> {
				this.repository.updateRole(engineId, EngineRole.ENGINE, now);
				this.audit.record("engine.demote", "engine", engineId, engine, after);
			});
			demoted.add(engineId);
		}
		return demoted;
	}

	/**
	 * Makes the given key the operator principal's only key, creating the principal if
	 * needed.
	 * @param adminId the operator's engine id
	 * @param key the operator's key
	 */
	private void installAdminKey(String adminId, String key) {
		if (createAdmin(adminId, key) || this.repository.findKeyHashes(adminId).equals(List.of(EngineKeys.hash(key)))) {
			return;
		}
		try {
			this.changes.run(ChangeKind.ENGINE, adminId, () -> {
				this.repository.replaceKeys(adminId, EngineKeys.hash(key), this.clock.instant());
				this.audit.record("engine.keys.replace", "engine", adminId, null, null);
			});
		}
		catch (DuplicateKeyException ex) {
			// another replica installed the same key at the same moment
		}
	}

	private boolean exists(String engineId) {
		return this.repository.findById(engineId).isPresent();
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
