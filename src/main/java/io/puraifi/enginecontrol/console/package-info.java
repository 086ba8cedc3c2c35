/**
 * The operator console: static pages served at {@code /console} that call the documented
 * admin API from the browser, with the headers that keep them safe.
 */
package io.puraifi.enginecontrol.console;
