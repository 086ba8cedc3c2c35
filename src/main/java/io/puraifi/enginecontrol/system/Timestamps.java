package io.puraifi.enginecontrol.system;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Moves instants in and out of {@code timestamp with time zone} columns the same way on
 * H2 and PostgreSQL, whose drivers both speak {@link OffsetDateTime}. Both keep
 * microseconds and would round finer digits, so a value is truncated to microseconds
 * first: it reads back exactly as written, and is never later than the instant it
 * records.
 */
public final class Timestamps {

	private Timestamps() {
	}

	public static OffsetDateTime toColumn(Instant instant) {
		return (instant != null) ? instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC) : null;
	}

	public static Instant fromColumn(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

}
