/**
 * Change propagation: a store-wide revision bumped by every write that can change a
 * decision, notifications between replicas (PostgreSQL LISTEN/NOTIFY) and a periodic
 * reconcile, so every replica drops stale cache entries within a second.
 */
package io.puraifi.enginecontrol.propagation;
