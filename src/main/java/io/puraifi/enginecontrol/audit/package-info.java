/**
 * The operators' audit trail: who changed what, from what, to what, when, in which
 * request.
 */
package io.puraifi.enginecontrol.audit;
