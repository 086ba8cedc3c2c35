/**
 * Cross-cutting concerns: request ids, problem responses, body limits and the service's
 * settings.
 */
package io.puraifi.enginecontrol.system;
