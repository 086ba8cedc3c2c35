package io.puraifi.enginecontrol.engine;

import org.junit.jupiter.api.Test;

import io.puraifi.enginecontrol.support.NameCandidates;
import io.puraifi.enginecontrol.system.Names;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authentication filter checks the claimed engine id by hand, without a regex, on
 * every request: it must accept exactly what {@link Names#ENGINE_ID} accepts.
 */
class EngineIdCheckTests {

	@Test
	void filterAcceptsAnIdWhenAndOnlyWhenThePatternDoes() {
		for (String candidate : NameCandidates.all()) {
			assertThat(EngineAuthenticationFilter.isEngineId(candidate)).as("'%s'", candidate)
				.isEqualTo(Names.isEngineId(candidate));
		}
	}

}
