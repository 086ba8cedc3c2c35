package io.puraifi.enginecontrol.engine;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import io.puraifi.enginecontrol.system.Timestamps;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

@Repository
class JdbcEnrollmentTokenRepository implements EnrollmentTokenRepository {

	private static final String COLUMNS = """
			select token_id, description, uses, uses_left, created_at, expires_at, revoked_at, created_by
			from enrollment_token""";

	private static final String SELECT_BY_ID = COLUMNS + " where token_id = :tokenId";

	private static final String SELECT_BY_HASH = COLUMNS + " where token_hash = :tokenHash";

	private static final String SELECT_ALL = COLUMNS + " order by created_at desc, token_id";

	private static final String SELECT_GRANTS = """
			select token_id, platform, action_type from enrollment_token_grant where token_id in (:tokenIds)""";

	private static final String INSERT_TOKEN = """
			insert into enrollment_token
			(token_id, token_hash, description, uses, uses_left, created_at, expires_at, revoked_at, created_by)
			values (:tokenId, :tokenHash, :description, :uses, :usesLeft, :createdAt, :expiresAt, null, :createdBy)""";

	private static final String INSERT_GRANT = """
			insert into enrollment_token_grant (token_id, platform, action_type)
			values (:tokenId, :platform, :actionType)""";

	private static final String CONSUME = """
			update enrollment_token set uses_left = uses_left - 1
			where token_id = :tokenId and uses_left > 0 and revoked_at is null and expires_at > :now""";

	private static final String REVOKE = """
			update enrollment_token set revoked_at = :now where token_id = :tokenId and revoked_at is null""";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	JdbcEnrollmentTokenRepository(JdbcClient jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	@Override
	public void insert(EnrollmentToken token, String tokenHash) {
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.sql(INSERT_TOKEN)
				.param("tokenId", token.tokenId())
				.param("tokenHash", tokenHash)
				.param("description", token.description())
				.param("uses", token.uses())
				.param("usesLeft", token.usesLeft())
				.param("createdAt", Timestamps.toColumn(token.createdAt()))
				.param("expiresAt", Timestamps.toColumn(token.expiresAt()))
				.param("createdBy", token.createdBy())
				.update();
			token.capabilities()
				.forEach((platform,
						actions) -> actions.forEach((action) -> this.jdbc.sql(INSERT_GRANT)
							.param("tokenId", token.tokenId())
							.param("platform", platform)
							.param("actionType", action)
							.update()));
		});
	}

	@Override
	public Optional<EnrollmentToken> findById(String tokenId) {
		return withCeilings(this.jdbc.sql(SELECT_BY_ID).param("tokenId", tokenId).query(ROW).list()).stream()
			.findFirst();
	}

	@Override
	public Optional<EnrollmentToken> findByHash(String tokenHash) {
		return withCeilings(this.jdbc.sql(SELECT_BY_HASH).param("tokenHash", tokenHash).query(ROW).list()).stream()
			.findFirst();
	}

	@Override
	public List<EnrollmentToken> findAll() {
		return withCeilings(this.jdbc.sql(SELECT_ALL).query(ROW).list());
	}

	@Override
	public boolean consume(String tokenId, Instant now) {
		return this.jdbc.sql(CONSUME).param("tokenId", tokenId).param("now", Timestamps.toColumn(now)).update() == 1;
	}

	@Override
	public boolean revoke(String tokenId, Instant now) {
		return this.jdbc.sql(REVOKE).param("now", Timestamps.toColumn(now)).param("tokenId", tokenId).update() == 1;
	}

	private List<EnrollmentToken> withCeilings(List<EnrollmentToken> tokens) {
		if (tokens.isEmpty()) {
			return tokens;
		}
		Map<String, TreeMap<String, SortedSet<String>>> ceilings = new HashMap<>();
		this.jdbc.sql(SELECT_GRANTS)
			.param("tokenIds", tokens.stream().map(EnrollmentToken::tokenId).toList())
			.query((rs) -> {
				ceilings.computeIfAbsent(rs.getString("token_id"), (id) -> new TreeMap<>())
					.computeIfAbsent(rs.getString("platform"), (p) -> new TreeSet<>())
					.add(rs.getString("action_type"));
			});
		return tokens.stream()
			.map((token) -> new EnrollmentToken(token.tokenId(), token.description(),
					ceilings.getOrDefault(token.tokenId(), new TreeMap<>()), token.uses(), token.usesLeft(),
					token.createdAt(), token.expiresAt(), token.revokedAt(), token.createdBy()))
			.toList();
	}

	private static final RowMapper<EnrollmentToken> ROW = (rs, row) -> new EnrollmentToken(rs.getString("token_id"),
			rs.getString("description"), new TreeMap<String, SortedSet<String>>(), rs.getInt("uses"),
			rs.getInt("uses_left"), Timestamps.fromColumn(rs, "created_at"), Timestamps.fromColumn(rs, "expires_at"),
			Timestamps.fromColumn(rs, "revoked_at"), rs.getString("created_by"));

}
