/**
 * Test support for the endpoint layer, published in cryo-endpoint's test jar.
 */
@NullMarked
package dev.cryo.endpoint.testing;

import org.jspecify.annotations.NullMarked;
