/**
 * End-to-end tests of several Cryo servers coordinated through a private Redis.
 */
@NullMarked
package dev.cryo.boot.cluster;

import org.jspecify.annotations.NullMarked;
