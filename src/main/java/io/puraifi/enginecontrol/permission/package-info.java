/**
 * The permission decision: whether an engine may perform an action on a platform, and its
 * record.
 */
package io.puraifi.enginecontrol.permission;
