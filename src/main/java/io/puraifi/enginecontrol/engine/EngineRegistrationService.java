package io.puraifi.enginecontrol.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

import io.puraifi.enginecontrol.audit.AuditTrail;
import io.puraifi.enginecontrol.platform.PlatformCatalog;
import io.puraifi.enginecontrol.propagation.ChangeKind;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * New engines: registered by an operator, or enrolled by the engine itself with an
 * enrollment token. Each registration is an {@link ChangeKind#ENGINE} change, which makes
 * {@link EngineRegistry} on every replica forget the id as unknown.
 */
@Service
public class EngineRegistrationService {

	private final EngineRepository repository;

	private final EnrollmentTokenRepository tokens;

	private final PlatformCatalog catalog;

	private final Clock clock;

	private final Changes changes;

	private final AuditTrail audit;

	EngineRegistrationService(EngineRepository repository, EnrollmentTokenRepository tokens, PlatformCatalog catalog,
			Clock clock, Changes changes, AuditTrail audit) {
		this.repository = repository;
		this.tokens = tokens;
		this.catalog = catalog;
		this.clock = clock;
		this.changes = changes;
		this.audit = audit;
	}

	/**
	 * Registers a new active engine with a new key.
	 * @param engineId the new engine's id
	 * @param description free text
	 * @param capabilities platform to actions it may perform, all in the catalog
	 * @return the engine and its key, which is not kept
	 */
	public Registration register(String engineId, String description,
			Map<String, ? extends Collection<String>> capabilities) {
		this.catalog.requireKnown(capabilities);
		Instant now = this.clock.instant();
		Engine engine = new Engine(engineId, description, EngineRole.ENGINE, EngineStatus.ACTIVE,
				Engine.sorted(capabilities), now, now);
		String key = EngineKeys.generate();
		try {
			this.changes.run(ChangeKind.ENGINE, engineId, () -> {
				this.repository.insert(engine, EngineKeys.hash(key));
				this.audit.record("engine.register", "engine", engineId, null, engine);
			});
		}
		catch (DuplicateKeyException ex) {
			throw new ProblemException(ProblemType.CONFLICT, "An engine named '" + engineId + "' already exists");
		}
		return new Registration(engine, key);
	}

	/**
	 * Registers an engine that presents an enrollment token, with the requested
	 * capabilities that fall inside the token's ceiling. The token's use is taken in the
	 * registration's transaction: when the registration fails, the use is not spent, and
	 * two registrations never share the last use.
	 * @param token the presented enrollment token
	 * @param engineId the new engine's id
	 * @param description free text
	 * @param requested platform to actions asked for
	 * @return the engine, its key and what was not granted
	 * @throws ProblemException 401 with the same answer for a malformed, unknown,
	 * expired, revoked or used-up token
	 */
	public Enrollment enroll(String token, String engineId, String description,
			Map<String, ? extends Collection<String>> requested) {
		if (!EngineKeys.isWellFormedEnrollmentToken(token)) {
			throw invalidEnrollmentToken();
		}
		String tokenHash = EngineKeys.hash(token);
		Instant now = this.clock.instant();
		String key = EngineKeys.generate();
		try {
			return this.changes.write(ChangeKind.ENGINE, engineId, () -> {
				EnrollmentToken enrollmentToken = this.tokens.findByHash(tokenHash)
					.filter((candidate) -> candidate.isUsableAt(now))
					.orElseThrow(EngineRegistrationService::invalidEnrollmentToken);
				this.catalog.requireKnown(requested);
				if (!this.tokens.consume(enrollmentToken.tokenId(), now)) {
					throw invalidEnrollmentToken();
				}
				Capabilities.Split split = Capabilities.intersect(requested, enrollmentToken.capabilities());
				Engine engine = new Engine(engineId, description, EngineRole.ENGINE, EngineStatus.ACTIVE,
						split.granted(), now, now);
				this.repository.insert(engine, EngineKeys.hash(key));
				this.audit.record("engine.enroll", "engine", engineId, null,
						new EnrollmentRecord(engine, enrollmentToken.tokenId(), split.notGranted()));
				return new Enrollment(engine, key, split.notGranted());
			});
		}
		catch (DuplicateKeyException ex) {
			throw new ProblemException(ProblemType.CONFLICT, "An engine named '" + engineId + "' already exists");
		}
	}

	private static ProblemException invalidEnrollmentToken() {
		return new ProblemException(ProblemType.UNAUTHENTICATED,
				"Send a valid, unexpired and unused X-Enrollment-Token to register");
	}

	/**
	 * A newly registered engine and its key.
	 *
	 * @param engine the engine
	 * @param key the key, shown once
	 */
	public record Registration(Engine engine, String key) {

		@Override
		public String toString() {
			return "Registration[engine=" + this.engine + ", key=(hidden)]";
		}

	}

	/**
	 * A newly enrolled engine, its key and the requested capabilities outside the
	 * ceiling.
	 *
	 * @param engine the engine
	 * @param key the key, shown once
	 * @param notGranted requested but not granted
	 */
	public record Enrollment(Engine engine, String key, SortedMap<String, SortedSet<String>> notGranted) {

		@Override
		public String toString() {
			return "Enrollment[engine=" + this.engine + ", key=(hidden), notGranted=" + this.notGranted + "]";
		}

	}

	/**
	 * What the audit trail records of an enrollment.
	 */
	record EnrollmentRecord(Engine engine, String enrollmentTokenId, SortedMap<String, SortedSet<String>> notGranted) {
	}

}
