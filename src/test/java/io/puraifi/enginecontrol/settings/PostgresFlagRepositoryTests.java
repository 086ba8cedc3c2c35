package io.puraifi.enginecontrol.settings;

import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;

class PostgresFlagRepositoryTests extends FlagRepositoryContractTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabases.postgres(getClass());
	}

}
