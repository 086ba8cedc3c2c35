package io.puraifi.enginecontrol.budget;

import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;

class H2BudgetRepositoryTests extends BudgetRepositoryContractTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabases.h2(getClass());
	}

}
