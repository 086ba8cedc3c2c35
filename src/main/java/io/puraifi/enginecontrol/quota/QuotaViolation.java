package io.puraifi.enginecontrol.quota;

/**
 * Why a field of a quota rule is refused.
 *
 * @param field the field, as named in JSON ({@code limits[1].per})
 * @param message what is wrong with it, safe to show to the caller
 */
public record QuotaViolation(String field, String message) {
}
