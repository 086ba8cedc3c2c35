package io.puraifi.enginecontrol.permission;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresDecisionRepositoryTests extends DecisionRepositoryContractTests {

	@Override
	TestDatabase createDatabase() {
		return TestDatabases.postgres(getClass());
	}

	@Test
	void aNulInOneRecordOfABatchLosesOnlyThatRecord() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		DecisionRecorder recorder = new DecisionRecorder(this.repository, meters,
				Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC), properties(Map.of()));
		for (int i = 0; i < 10; i++) {
			String correlationId = (i == 4) ? "bad\u0000id" : "c" + i;
			recorder.record(new DecisionRecord(0, "req-" + i, correlationId, "action", "action", "gmail", "read_email",
					"denied", "R" + i, null, 1L, null, 5), false, "gmail", 1_000);
		}
		Logger logger = (Logger) LoggerFactory.getLogger(DecisionRecorder.class);
		ListAppender<ILoggingEvent> lines = new ListAppender<>();
		lines.start();
		logger.addAppender(lines);
		try {
			recorder.flush();
		}
		finally {
			logger.detachAppender(lines);
		}
		assertThat(reasons(query(null, null, null, null, null, null, null, 20))).containsExactly("R9", "R8", "R7", "R6",
				"R5", "R3", "R2", "R1", "R0");
		assertThat(rejected(meters)).isEqualTo(1);
		assertThat(lines.list).singleElement().satisfies((line) -> {
			assertThat(line.getMessage()).isEqualTo("decision record refused by the store");
			assertThat(line.getKeyValuePairs().toString()).contains("req-4").doesNotContain("bad");
			assertThat(line.getThrowableProxy()).as("no message that could quote the values").isNull();
		});
	}

}
