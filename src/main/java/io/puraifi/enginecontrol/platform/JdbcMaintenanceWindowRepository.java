package io.puraifi.enginecontrol.platform;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.puraifi.enginecontrol.system.Timestamps;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcMaintenanceWindowRepository implements MaintenanceWindowRepository {

	private static final String INSERT_WINDOW = """
			insert into maintenance_window (window_id, platform, starts_at, ends_at, message, created_at)
			values (:id, :platform, :startsAt, :endsAt, :message, :createdAt)""";

	private static final String SELECT_WINDOW = """
			select window_id, platform, starts_at, ends_at, message, created_at, cancelled_at
			from maintenance_window where platform = :platform and window_id = :id""";

	private static final String SELECT_NOT_ENDED = """
			select window_id, platform, starts_at, ends_at, message, created_at, cancelled_at
			from maintenance_window where platform = :platform and cancelled_at is null and ends_at > :now
			order by starts_at, window_id""";

	private static final String SELECT_ALL_NOT_ENDED = """
			select window_id, platform, starts_at, ends_at, message, created_at, cancelled_at
			from maintenance_window where cancelled_at is null and ends_at > :now
			order by platform, starts_at, window_id""";

	private static final String SELECT_ALL = """
			select window_id, platform, starts_at, ends_at, message, created_at, cancelled_at
			from maintenance_window where platform = :platform order by starts_at, window_id""";

	private static final String CANCEL_WINDOW = """
			update maintenance_window set cancelled_at = :now
			where platform = :platform and window_id = :id and cancelled_at is null and ends_at > :now""";

	private final JdbcClient jdbc;

	JdbcMaintenanceWindowRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(MaintenanceWindow window) {
		this.jdbc.sql(INSERT_WINDOW)
			.param("id", window.id())
			.param("platform", window.platform())
			.param("startsAt", Timestamps.toColumn(window.startsAt()))
			.param("endsAt", Timestamps.toColumn(window.endsAt()))
			.param("message", window.message())
			.param("createdAt", Timestamps.toColumn(window.createdAt()))
			.update();
	}

	@Override
	public Optional<MaintenanceWindow> find(String platform, String id) {
		return this.jdbc.sql(SELECT_WINDOW)
			.param("platform", platform)
			.param("id", id)
			.query(JdbcMaintenanceWindowRepository::window)
			.optional();
	}

	@Override
	public List<MaintenanceWindow> findNotEnded(String platform, Instant now) {
		return this.jdbc.sql(SELECT_NOT_ENDED)
			.param("platform", platform)
			.param("now", Timestamps.toColumn(now))
			.query(JdbcMaintenanceWindowRepository::window)
			.list();
	}

	@Override
	public List<MaintenanceWindow> findNotEnded(Instant now) {
		return this.jdbc.sql(SELECT_ALL_NOT_ENDED)
			.param("now", Timestamps.toColumn(now))
			.query(JdbcMaintenanceWindowRepository::window)
			.list();
	}

	@Override
	public List<MaintenanceWindow> findAll(String platform) {
		return this.jdbc.sql(SELECT_ALL)
			.param("platform", platform)
			.query(JdbcMaintenanceWindowRepository::window)
			.list();
	}

	@Override
	public boolean cancel(String platform, String id, Instant now) {
		return this.jdbc.sql(CANCEL_WINDOW)
			.param("now", Timestamps.toColumn(now))
			.param("platform", platform)
			.param("id", id)
			.update() == 1;
	}

	private static MaintenanceWindow window(ResultSet rs, int row) throws SQLException {
		return new MaintenanceWindow(rs.getString("window_id"), rs.getString("platform"),
				Timestamps.fromColumn(rs, "starts_at"), Timestamps.fromColumn(rs, "ends_at"), rs.getString("message"),
				Timestamps.fromColumn(rs, "created_at"), Timestamps.fromColumn(rs, "cancelled_at"));
	}

}
