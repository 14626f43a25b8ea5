/**
 * The Cryo server's health indicator for Spring Boot's health endpoint.
 */
@NullMarked
package dev.cryo.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
