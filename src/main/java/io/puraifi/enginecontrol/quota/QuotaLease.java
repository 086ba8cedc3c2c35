package io.puraifi.enginecontrol.quota;

/**
 * What one lease from the store gave.
 *
 * @param granted units leased to the caller: {@code min(wanted, max - leased before)}, 0
 * when the limit is full in the window
 * @param leased units leased in the window by every replica, this lease included
 */
public record QuotaLease(long granted, long leased) {
}
