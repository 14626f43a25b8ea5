/**
 * The {@code cryo} Actuator endpoint: the live sessions of the Cryo server.
 */
@NullMarked
package dev.cryo.boot.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
