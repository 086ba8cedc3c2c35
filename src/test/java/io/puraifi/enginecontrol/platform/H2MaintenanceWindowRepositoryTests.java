package io.puraifi.enginecontrol.platform;

import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;

class H2MaintenanceWindowRepositoryTests extends MaintenanceWindowRepositoryContractTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabases.h2(getClass());
	}

}
