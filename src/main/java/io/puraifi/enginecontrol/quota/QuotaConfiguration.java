package io.puraifi.enginecontrol.quota;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.puraifi.enginecontrol.system.EngineControlProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class QuotaConfiguration {

	/**
	 * This replica's ledger, with its checks and store leases counted, so the share of
	 * quota'd checks that touched the store can be read from the metrics.
	 * @param usage the store of leased units
	 * @param meters the meter registry
	 * @param properties the block cap, idle time and recheck time
	 * @return the ledger
	 */
	@Bean
	QuotaLedger quotaLedger(QuotaUsageRepository usage, MeterRegistry meters, EngineControlProperties properties) {
		EngineControlProperties.Quotas quotas = properties.quotas();
		QuotaLedger ledger = new QuotaLedger(usage, quotas.maxBlock(), quotas.idleGiveBack(), quotas.recheck());
		FunctionCounter.builder("engine.control.quota.checks", ledger, (it) -> it.stats().checks())
			.description("Checks answered under a quota rule by this replica")
			.register(meters);
		FunctionCounter.builder("engine.control.quota.store.leases", ledger, (it) -> it.stats().storeLeases())
			.description("Units leased from the store (or tried) for quota rules by this replica")
			.register(meters);
		return ledger;
	}

}
