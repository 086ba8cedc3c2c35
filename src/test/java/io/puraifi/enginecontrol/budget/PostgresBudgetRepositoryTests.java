package io.puraifi.enginecontrol.budget;

import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;

class PostgresBudgetRepositoryTests extends BudgetRepositoryContractTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabases.postgres(getClass());
	}

}
