import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * What writing every key's last use costs the store: updates last_used_at of every
 * engine_key row, and of the same number of rows in a two-column scratch table
 * (key_use_probe, created and dropped here), in transactions of 1,000 as KeyUsage writes
 * them, and prints the CPU time and the garbage of each pass (the embedded H2 runs in
 * this thread). It changes the store: run it on a copy of a bench store.
 *
 *   cp -r bench/out/<run>/data /tmp/store-copy
 *   java -cp "bench/out/<run>/lib/*" bench/KeyUseWrites.java \
 *     "jdbc:h2:file:/tmp/store-copy/engine-control;AUTO_SERVER=FALSE"
 */
public class KeyUseWrites {

	public static void main(String[] args) throws Exception {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		try (Connection connection = DriverManager.getConnection(args[0], args.length > 1 ? args[1] : "sa",
				args.length > 2 ? args[2] : "")) {
			List<String> keyIds = new ArrayList<>();
			try (Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("select key_id from engine_key")) {
				while (rows.next()) {
					keyIds.add(rows.getString(1));
				}
			}
			try (Statement statement = connection.createStatement()) {
				statement.execute("create table key_use_probe (key_id varchar(36) primary key,"
						+ " last_used_at timestamp with time zone)");
				statement.execute("insert into key_use_probe (key_id) select key_id from engine_key");
			}
			connection.setAutoCommit(false);
			for (String table : new String[] { "engine_key", "key_use_probe", "engine_key", "key_use_probe" }) {
				long allocated = threads.getCurrentThreadAllocatedBytes();
				long cpu = threads.getCurrentThreadCpuTime();
				Timestamp now = new Timestamp(System.currentTimeMillis());
				String sql = "update " + table + " set last_used_at = ? where key_id = ?"
						+ " and (last_used_at is null or last_used_at < ?)";
				for (int from = 0; from < keyIds.size(); from += 1_000) {
					try (PreparedStatement update = connection.prepareStatement(sql)) {
						for (String keyId : keyIds.subList(from, Math.min(from + 1_000, keyIds.size()))) {
							update.setTimestamp(1, now);
							update.setString(2, keyId);
							update.setTimestamp(3, now);
							update.executeUpdate();
						}
					}
					connection.commit();
				}
				System.out.printf("%-14s %,d rows updated: %,d ms CPU, %,d MB allocated%n", table, keyIds.size(),
						(threads.getCurrentThreadCpuTime() - cpu) / 1_000_000,
						(threads.getCurrentThreadAllocatedBytes() - allocated) >> 20);
				Thread.sleep(1_000);
			}
			try (Statement statement = connection.createStatement()) {
				statement.execute("drop table key_use_probe");
			}
			connection.commit();
		}
	}

}
