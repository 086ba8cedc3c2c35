package io.puraifi.enginecontrol.quota;

import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;

class H2QuotaRuleRepositoryTests extends QuotaRuleRepositoryContractTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabases.h2(getClass());
	}

}
