package io.puraifi.enginecontrol.quota;

import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;

class PostgresQuotaRuleRepositoryTests extends QuotaRuleRepositoryContractTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabases.postgres(getClass());
	}

}
