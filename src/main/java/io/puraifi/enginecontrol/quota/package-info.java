/**
 * Action quotas: rules that limit how many checks of an action an engine may have allowed
 * per fixed UTC window, counted exactly across replicas by leasing units from the store.
 */
package io.puraifi.enginecontrol.quota;
