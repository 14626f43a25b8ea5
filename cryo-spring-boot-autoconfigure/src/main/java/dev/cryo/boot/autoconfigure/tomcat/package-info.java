/**
 * Tomcat specifics of the servlet transport: the connector protocol the starter gives Tomcat.
 */
@NullMarked
package dev.cryo.boot.autoconfigure.tomcat;

import org.jspecify.annotations.NullMarked;
