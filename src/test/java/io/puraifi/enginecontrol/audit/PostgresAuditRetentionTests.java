package io.puraifi.enginecontrol.audit;

import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;

class PostgresAuditRetentionTests extends AuditRetentionContractTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabases.postgres(getClass());
	}

}
