/**
 * Feature flags, kill switches and API version information.
 */
package io.puraifi.enginecontrol.settings;
