package io.puraifi.enginecontrol.quota;

import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;

class H2QuotaUsageRepositoryTests extends QuotaUsageRepositoryContractTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabases.h2(getClass());
	}

}
