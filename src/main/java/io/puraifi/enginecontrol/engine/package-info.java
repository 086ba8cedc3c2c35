/**
 * Engine identity: registration, keys, authentication of every request and the engine
 * registry.
 */
package io.puraifi.enginecontrol.engine;
