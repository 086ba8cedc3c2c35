import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Seeds a migrated Engine Control store with N benchmark engines, each granted every action
 * of the catalog and holding one key, with plain JDBC batches (100,000 engines in seconds).
 * Writes "engine_id key" lines for the load scripts. Engines named bench-* from an earlier
 * run are deleted first.
 *
 * java -cp h2.jar:postgresql.jar bench/Seed.java URL USER PASSWORD ENGINES CREDENTIALS_FILE
 */
public class Seed {

	public static void main(String[] args) throws Exception {
		String url = args[0];
		int engines = Integer.parseInt(args[3]);
		Path out = Path.of(args[4]);
		long started = System.nanoTime();
		SecureRandom random = new SecureRandom();
		MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
		Timestamp now = Timestamp.from(Instant.now());
		try (Connection db = DriverManager.getConnection(url, args[1], args[2])) {
			db.setAutoCommit(false);
			List<String[]> actions = new ArrayList<>();
			try (var rs = db.createStatement().executeQuery(
					"select platform, action_type from platform_action order by platform, action_type")) {
				while (rs.next()) {
					actions.add(new String[] { rs.getString(1), rs.getString(2) });
				}
			}
			try (var delete = db.createStatement()) {
				delete.executeUpdate("delete from engine where engine_id like 'bench-%'");
			}
			db.commit();
			try (PreparedStatement engine = db.prepareStatement(
					"insert into engine (engine_id, description, role, status, created_at, updated_at) values (?, 'benchmark', 'ENGINE', 'ACTIVE', ?, ?)");
					PreparedStatement key = db.prepareStatement(
							"insert into engine_key (key_id, engine_id, key_hash, created_at) values (?, ?, ?, ?)");
					PreparedStatement grant = db.prepareStatement(
							"insert into engine_grant (engine_id, platform, action_type) values (?, ?, ?)");
					BufferedWriter credentials = Files.newBufferedWriter(out, StandardCharsets.US_ASCII)) {
				for (int i = 0; i < engines; i++) {
					String engineId = String.format("bench-%06d", i);
					byte[] bytes = new byte[24];
					random.nextBytes(bytes);
					String secret = "ec_bench" + HexFormat.of().formatHex(bytes);
					String hash = HexFormat.of().formatHex(sha256.digest(secret.getBytes(StandardCharsets.UTF_8)));
					engine.setString(1, engineId);
					engine.setTimestamp(2, now);
					engine.setTimestamp(3, now);
					engine.addBatch();
					key.setString(1, UUID.randomUUID().toString());
					key.setString(2, engineId);
					key.setString(3, hash);
					key.setTimestamp(4, now);
					key.addBatch();
					for (String[] action : actions) {
						grant.setString(1, engineId);
						grant.setString(2, action[0]);
						grant.setString(3, action[1]);
						grant.addBatch();
					}
					credentials.write(engineId + " " + secret + "\n");
					if (i % 1000 == 999 || i == engines - 1) {
						engine.executeBatch();
						key.executeBatch();
						grant.executeBatch();
						db.commit();
					}
				}
			}
			try (BufferedWriter list = Files.newBufferedWriter(out.resolveSibling("actions.txt"))) {
				for (String[] action : actions) {
					list.write(action[0] + " " + action[1] + "\n");
				}
			}
		}
		System.out.printf("seeded %d engines with %d grants each in %.1f s%n", engines,
				Files.readAllLines(out.resolveSibling("actions.txt")).size(), (System.nanoTime() - started) / 1e9);
	}

}
