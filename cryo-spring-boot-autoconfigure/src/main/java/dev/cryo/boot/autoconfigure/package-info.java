/**
 * Spring Boot auto-configuration for the Cryo server; Boot glue only.
 */
@NullMarked
package dev.cryo.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
