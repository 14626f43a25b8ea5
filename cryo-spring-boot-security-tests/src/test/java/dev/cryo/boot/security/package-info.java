/**
 * End-to-end tests of Cryo upgrades authenticated by Spring Security's resource server.
 */
@NullMarked
package dev.cryo.boot.security;

import org.jspecify.annotations.NullMarked;
