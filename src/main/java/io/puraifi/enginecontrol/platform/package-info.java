/**
 * The platform catalog and each platform's runtime availability.
 */
package io.puraifi.enginecontrol.platform;
