/**
 * Events that engines submit for central collection, stored before they are acknowledged.
 */
package io.puraifi.enginecontrol.eventlog;
