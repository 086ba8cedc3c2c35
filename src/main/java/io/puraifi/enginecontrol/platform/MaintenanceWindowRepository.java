package io.puraifi.enginecontrol.platform;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable store of scheduled maintenance windows.
 */
public interface MaintenanceWindowRepository {

	void insert(MaintenanceWindow window);

	Optional<MaintenanceWindow> find(String platform, String id);

	/**
	 * The windows of a platform that are not cancelled and end after {@code now}: those
	 * in effect and those to come.
	 * @return the windows, by start
	 */
	List<MaintenanceWindow> findNotEnded(String platform, Instant now);

	/**
	 * The windows of every platform that are not cancelled and end after {@code now}.
	 * @return the windows, by platform then start
	 */
	List<MaintenanceWindow> findNotEnded(Instant now);

	/**
	 * Every window of a platform, ended and cancelled ones included.
	 * @return the windows, by start
	 */
	List<MaintenanceWindow> findAll(String platform);

	/**
	 * Cancels a window that is neither cancelled nor ended.
	 * @return false when there was no such window
	 */
	boolean cancel(String platform, String id, Instant now);

}
