/**
 * Auto-configuration that authenticates Cryo upgrades with Spring Security's resource server:
 * the bearer token goes through the application's {@code JwtDecoder},
 * {@code OpaqueTokenIntrospector} or {@code AuthenticationManager}.
 */
@NullMarked
package dev.cryo.boot.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
