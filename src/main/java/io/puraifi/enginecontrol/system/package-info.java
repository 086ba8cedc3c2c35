/**
 * Cross-cutting concerns: request ids, problem responses, body limits, the order of a
 * shutdown and the service's settings.
 */
package io.puraifi.enginecontrol.system;
