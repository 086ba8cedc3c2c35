package io.puraifi.enginecontrol.permission;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.puraifi.enginecontrol.platform.Platform;
import io.puraifi.enginecontrol.platform.PlatformCatalog;
import io.puraifi.enginecontrol.settings.FeatureFlags;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Warms the caches a check reads before the service reports ready: every platform of the
 * catalog (applied to the store before runners run) is loaded once. Flags are all in
 * memory from the start ({@link FeatureFlags}); engines are loaded on their first
 * request. Reported in the readiness group as {@code caches}: down until the warm-up
 * finished, or if it failed.
 */
@Component("caches")
class CacheWarmth implements ApplicationRunner, HealthIndicator {

	private static final Logger log = LoggerFactory.getLogger(CacheWarmth.class);

	private final PlatformCatalog catalog;

	private volatile Health health = Health.down().withDetail("caches", "warming").build();

	CacheWarmth(PlatformCatalog catalog) {
		this.catalog = catalog;
	}

	@Override
	public void run(ApplicationArguments args) {
		try {
			int platforms = 0;
			for (Platform platform : this.catalog.all()) {
				this.catalog.find(platform.name());
				platforms++;
			}
			this.health = Health.up().withDetail("platforms", platforms).build();
			log.atInfo().addKeyValue("platforms", platforms).log("caches warm");
		}
		catch (RuntimeException ex) {
			this.health = Health.down().withDetail("caches", "warm-up failed").build();
			log.atError().log("cache warm-up failed; checks read the store until entries are cached");
		}
	}

	@Override
	public Health health() {
		return this.health;
	}

}
