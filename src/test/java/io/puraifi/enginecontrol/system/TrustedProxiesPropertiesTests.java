package io.puraifi.enginecontrol.system;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code engine-control.auth-limits.trusted-proxies}: empty by default, a comma-separated
 * list of CIDR ranges as the environment gives it, and a bad range stops start-up naming
 * the setting.
 */
class TrustedProxiesPropertiesTests {

	@Test
	void trustedProxiesAreNoneByDefault() {
		assertThat(bind(Map.of()).authLimits().trustedProxyRanges()).isEmpty();
	}

	@Test
	void trustedProxiesBindFromACommaSeparatedList() {
		EngineControlProperties properties = bind(
				Map.of("engine-control.auth-limits.trusted-proxies", "10.0.0.0/8,192.168.1.7/32, 2001:db8::/32"));
		assertThat(properties.authLimits().trustedProxyRanges()).map(IpAddresses.Range::toString)
			.containsExactly("10.0.0.0/8", "192.168.1.7/32", "2001:db8:0:0:0:0:0:0/32");
	}

	@Test
	void trustedProxyThatIsNoRangeStopsStartUpNamingTheSetting() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("engine-control.auth-limits.trusted-proxies", "10.0.0.0/8,private")))
			.havingRootCause()
			.withMessageContaining("engine-control.auth-limits.trusted-proxies")
			.withMessageContaining("'private'");
	}

	private static EngineControlProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("engine-control",
				EngineControlProperties.class);
	}

}
