package io.puraifi.enginecontrol.audit;

import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;

class H2AuditRetentionTests extends AuditRetentionContractTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabases.h2(getClass());
	}

}
