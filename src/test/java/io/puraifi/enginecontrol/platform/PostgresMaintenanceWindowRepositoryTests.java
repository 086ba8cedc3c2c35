package io.puraifi.enginecontrol.platform;

import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;

class PostgresMaintenanceWindowRepositoryTests extends MaintenanceWindowRepositoryContractTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabases.postgres(getClass());
	}

}
