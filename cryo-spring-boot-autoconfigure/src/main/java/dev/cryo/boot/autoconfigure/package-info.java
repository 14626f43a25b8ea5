/**
 * Spring Boot auto-configuration for the Cryo server: {@link dev.cryo.boot.autoconfigure.CryoProperties}
 * and {@link dev.cryo.boot.autoconfigure.CryoAutoConfiguration}. Boot glue only; the server lives
 * in {@code cryo-server}.
 */
@NullMarked
package dev.cryo.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
